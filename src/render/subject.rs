//! What was checked, as every report format needs it: a conversation, or a macro in its library
//! file; its id, and where each violation is in the file as written.

use crate::conversation::Conversation;
use crate::macros::{line_col, MacroFile};
use crate::report::{Location, Violation};

/// One checked conversation or macro.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// A conversation.
    Conversation(&'a Conversation),
    /// Macro `index` of a library file, and the one-message conversation it was checked as.
    Macro {
        /// The library file.
        file: &'a MacroFile,
        /// Which macro.
        index: usize,
        /// The macro as a conversation.
        conversation: &'a Conversation,
    },
}

impl<'a> Subject<'a> {
    /// The conversation that was checked.
    pub fn conversation(&self) -> &'a Conversation {
        match self {
            Subject::Conversation(c) => c,
            Subject::Macro { conversation, .. } => conversation,
        }
    }

    /// The conversation's or the macro's id.
    pub fn id(&self) -> &'a str {
        &self.conversation().id
    }

    /// The file it was read from.
    pub fn path(&self) -> &'a str {
        match self {
            Subject::Conversation(c) => &c.source.path,
            Subject::Macro { file, .. } => &file.path,
        }
    }

    /// `conversation` or `macro`.
    pub fn noun(&self) -> &'static str {
        match self {
            Subject::Conversation(_) => "conversation",
            Subject::Macro { .. } => "macro",
        }
    }

    /// The 1-based line where it starts.
    pub fn line(&self) -> usize {
        match self {
            Subject::Conversation(c) => c.source.line,
            Subject::Macro { file, index, .. } => file.line_of(*index),
        }
    }

    /// Where a violation is in the file: the offending words themselves, where their position
    /// is known; else the line of the event (of the record, when the event's is not known).
    pub fn location(&self, v: &Violation) -> Location {
        match self {
            Subject::Conversation(c) => {
                let ((line, column), (end_line, end_column)) =
                    crate::input::position::text_location(c, v.event, v.span);
                Location {
                    path: c.source.path.clone(),
                    line,
                    column,
                    end_line,
                    end_column,
                }
            }
            Subject::Macro { file, index, .. } => {
                let (start, end) = file.byte_range(*index, v.span);
                let (line, column) = line_col(&file.text, start);
                let (end_line, end_column) = line_col(&file.text, end);
                Location {
                    path: file.path.clone(),
                    line,
                    column,
                    end_line,
                    end_column,
                }
            }
        }
    }
}

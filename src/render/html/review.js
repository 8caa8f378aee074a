// Reviewing in the page: agree with or overturn each verdict, add missed violations, and export
// the review as reviews.csv in the shape `tact score --compare` reads. The review is kept in the
// browser's localStorage, keyed by this report and the reviewer's name, so the page stays one
// offline file. Text is only ever set with textContent: nothing a reviewer types becomes markup.
(function () {
  var report = document.body.getAttribute("data-report") || "report";
  var nameInput = document.getElementById("reviewer");
  var countShown = document.getElementById("review-count");
  var storage = null;
  try { storage = window.localStorage; } catch (e) { storage = null; }

  function reviewerName() { return (nameInput.value || "").trim() || "reviewer"; }
  function storageKey() { return "tact-review/" + report + "/" + reviewerName(); }
  function empty() { return { verdicts: {}, missed: [] }; }
  function load() {
    if (!storage) return empty();
    try {
      var saved = JSON.parse(storage.getItem(storageKey()) || "null");
      if (saved && typeof saved.verdicts === "object" && Array.isArray(saved.missed)) return saved;
    } catch (e) { /* a damaged entry starts afresh */ }
    return empty();
  }
  var review = empty();
  function save() {
    if (storage) {
      try { storage.setItem(storageKey(), JSON.stringify(review)); } catch (e) { /* full: kept in the page */ }
    }
    show();
  }
  function key(conversation, rule) { return conversation + "\u0000" + rule; }

  // Conversations by id: their index, and their section once made (report.js makes a section
  // when it is first opened, or here when a review needs its scorecard).
  var indexOf = Object.create(null);
  document.querySelectorAll("script.lazy-section, section.conversation").forEach(function (s) {
    indexOf[s.getAttribute("data-conversation")] = s.getAttribute("data-index") || s.id.slice(2);
  });
  // The folder form: conversations and tact's verdicts are in the table's data, so a review
  // is exported or imported without loading the chunk of every conversation it names.
  var data = window.tactData || null;
  if (data) data.rows.forEach(function (row, index) { indexOf[row[0]] = String(index); });
  function dataVerdict(conversation, rule) {
    if (!data || !(conversation in indexOf)) return null;
    var at = data.rules.indexOf(rule);
    var letter = at < 0 ? "" : data.rows[indexOf[conversation]][5].charAt(at);
    return { p: "pass", f: "fail", n: "n/a" }[letter] || null;
  }
  function sectionOf(conversation) {
    return conversation in indexOf ? window.tactSection(indexOf[conversation]) : null;
  }
  function madeSections() { return document.querySelectorAll("section.conversation[data-conversation]"); }
  function rowOf(conversation, rule) {
    var section = sectionOf(conversation);
    if (!section) return null;
    var rows = section.querySelectorAll("table.scorecard tr[data-rule]");
    for (var i = 0; i < rows.length; i++) if (rows[i].getAttribute("data-rule") === rule) return rows[i];
    return null;
  }
  // tact's verdict on a rule, as recorded with the review (or read from the scorecard).
  function tactVerdict(conversation, rule, entry) {
    if (entry && entry.tact) return entry.tact;
    if (data) return dataVerdict(conversation, rule);
    var row = rowOf(conversation, rule);
    return row ? row.getAttribute("data-verdict") : null;
  }
  // What the reviewer says: tact's verdict when agreeing; the other side when overturning.
  function reviewed(tact, decision) {
    if (decision === "agree") return tact;
    return tact === "fail" ? "pass" : "fail";
  }

  function show() {
    var verdicts = Object.keys(review.verdicts).length;
    countShown.textContent = verdicts + " verdict" + (verdicts === 1 ? "" : "s") + " reviewed, " +
      review.missed.length + " missed violation" + (review.missed.length === 1 ? "" : "s") + " added";
    madeSections().forEach(showSection);
  }
  function showSection(section) {
    var conversation = section.getAttribute("data-conversation");
    section.querySelectorAll("table.scorecard tr[data-rule]").forEach(function (row) {
      var entry = review.verdicts[key(conversation, row.getAttribute("data-rule"))];
      row.classList.toggle("reviewed-agree", !!entry && entry.decision === "agree");
      row.classList.toggle("reviewed-overturn", !!entry && entry.decision === "overturn");
      var comment = row.querySelector("input.comment");
      if (comment && entry && document.activeElement !== comment) comment.value = entry.comment || "";
    });
    var list = section.querySelector("ul.missed-list");
    if (!list) return;
    list.textContent = "";
    review.missed.forEach(function (m, index) {
      if (m.conversation !== conversation) return;
      var item = document.createElement("li");
      var rule = document.createElement("code");
      rule.textContent = m.rule;
      item.appendChild(document.createTextNode("Missed violation of "));
      item.appendChild(rule);
      item.appendChild(document.createTextNode(m.message ? ": " + m.message + " " : " "));
      var remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "Remove";
      remove.addEventListener("click", function () { review.missed.splice(index, 1); save(); });
      item.appendChild(remove);
      list.appendChild(item);
    });
  }

  // One verdict per rule and conversation: the latest of agree, overturn or missed stands.
  function forgetMissed(conversation, rule) {
    review.missed = review.missed.filter(function (m) { return !(m.conversation === conversation && m.rule === rule); });
  }
  function isMissed(conversation, rule) {
    return review.missed.some(function (m) { return m.conversation === conversation && m.rule === rule; });
  }
  function decide(row, decision) {
    var conversation = row.closest("section").getAttribute("data-conversation");
    var rule = row.getAttribute("data-rule");
    var comment = row.querySelector("input.comment").value;
    forgetMissed(conversation, rule);
    review.verdicts[key(conversation, rule)] = { decision: decision, comment: comment, tact: row.getAttribute("data-verdict") };
    save();
  }

  // The buttons of one conversation's section, when it is made.
  function wire(section) {
    var conversation = section.getAttribute("data-conversation");
    section.querySelectorAll("table.scorecard tr[data-rule]").forEach(function (row) {
      row.querySelector("button.agree").addEventListener("click", function () { decide(row, "agree"); });
      row.querySelector("button.overturn").addEventListener("click", function () { decide(row, "overturn"); });
      row.querySelector("input.comment").addEventListener("change", function (e) {
        var entry = review.verdicts[key(conversation, row.getAttribute("data-rule"))];
        if (entry) { entry.comment = e.target.value; save(); }
      });
    });
    var rest = section.querySelector("button.agree-rest");
    if (rest) rest.addEventListener("click", function () {
      section.querySelectorAll("table.scorecard tr[data-rule]").forEach(function (row) {
        var rule = row.getAttribute("data-rule"), k = key(conversation, rule);
        if (!review.verdicts[k] && !isMissed(conversation, rule)) {
          review.verdicts[k] = { decision: "agree", comment: row.querySelector("input.comment").value, tact: row.getAttribute("data-verdict") };
        }
      });
      save();
    });
    var form = section.querySelector("form.missed-form");
    if (form) form.addEventListener("submit", function (e) {
      e.preventDefault();
      var rule = form.querySelector("select.missed-rule").value;
      var message = form.querySelector("input.missed-message");
      forgetMissed(conversation, rule);
      delete review.verdicts[key(conversation, rule)];
      review.missed.push({ conversation: conversation, rule: rule, message: message.value.trim(), tact: tactVerdict(conversation, rule) });
      message.value = "";
      save();
    });
    showSection(section);
  }
  madeSections().forEach(wire);
  document.addEventListener("tact:section", function (e) { if (e.detail) wire(e.detail); });

  // CSV: fields quoted when they need it; free text and conversation ids (they come from the
  // input data) that a spreadsheet would run as a formula
  // gets a leading apostrophe (taken off again on import).
  function field(text, free) {
    text = String(text);
    if (free && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function csv() {
    var lines = ["reviewer,conversation,rule,verdict,tact,review,comment"];
    var who = reviewerName();
    Object.keys(review.verdicts).sort().forEach(function (k) {
      var parts = k.split("\u0000");
      var entry = review.verdicts[k];
      var tact = tactVerdict(parts[0], parts[1], entry);
      if (!tact) return;
      lines.push([field(who, true), field(parts[0], true), field(parts[1]), reviewed(tact, entry.decision), field(tact),
        entry.decision, field(entry.comment || "", true)].join(","));
    });
    review.missed.forEach(function (m) {
      var tact = tactVerdict(m.conversation, m.rule, m);
      if (!tact) return;
      lines.push([field(who, true), field(m.conversation, true), field(m.rule), "fail", field(tact),
        "missed", field(m.message, true)].join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  function parseCsv(text) {
    var rows = [], row = [], value = "", quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { value += '"'; i++; }
        else if (c === '"') quoted = false;
        else value += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") { row.push(value); value = ""; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        row.push(value); rows.push(row); row = []; value = "";
      } else value += c;
    }
    if (value !== "" || row.length) { row.push(value); rows.push(row); }
    return rows;
  }
  function unformula(text) { return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text; }

  // Reads a reviews CSV back: each row becomes an agreement, an overturn or a missed violation.
  function importCsv(text) {
    var rows = parseCsv(text.replace(/^\ufeff/, ""));
    var head = (rows.shift() || []).map(function (h) { return h.trim().toLowerCase(); });
    var column = function (names) {
      for (var i = 0; i < head.length; i++) if (names.indexOf(head[i]) >= 0) return i;
      return -1;
    };
    var c = { who: column(["reviewer"]), conversation: column(["conversation", "conversation_id", "id"]),
      rule: column(["rule", "rule_id"]), verdict: column(["verdict"]), review: column(["review"]),
      comment: column(["comment", "message", "notes"]) };
    if (c.conversation < 0 || c.rule < 0 || c.verdict < 0) {
      countShown.textContent = "That file does not name the columns conversation, rule and verdict.";
      return;
    }
    var get = function (row, i) { return i >= 0 && i < row.length ? row[i].trim() : ""; };
    var named = rows.length && get(rows[0], c.who);
    if (named) { nameInput.value = unformula(named); if (storage) storage.setItem("tact-reviewer", nameInput.value); }
    review = load();
    var used = 0, skipped = 0;
    rows.forEach(function (row) {
      var conversation = unformula(get(row, c.conversation)), rule = get(row, c.rule);
      var verdict = get(row, c.verdict).toLowerCase(), comment = unformula(get(row, c.comment));
      var tact = tactVerdict(conversation, rule, null);
      if (!tact || ["pass", "fail", "n/a"].indexOf(verdict) < 0) { if (conversation || rule) skipped++; return; }
      if (get(row, c.review).toLowerCase() === "missed" && tact !== "fail" && verdict === "fail") {
        forgetMissed(conversation, rule);
        delete review.verdicts[key(conversation, rule)];
        review.missed.push({ conversation: conversation, rule: rule, message: comment, tact: tact });
      } else {
        forgetMissed(conversation, rule);
        var same = (verdict === "fail") === (tact === "fail");
        review.verdicts[key(conversation, rule)] = { decision: same ? "agree" : "overturn", comment: comment, tact: tact };
      }
      used++;
    });
    save();
    countShown.textContent += " (imported " + used + " row" + (used === 1 ? "" : "s") +
      (skipped ? "; " + skipped + " not in this report" : "") + ")";
  }

  document.getElementById("export").addEventListener("click", function () {
    var blob = new Blob([csv()], { type: "text/csv" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "reviews.csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
  document.getElementById("import").addEventListener("change", function (e) {
    var file = e.target.files && e.target.files[0];
    if (!file) return;
    file.text().then(importCsv);
    e.target.value = "";
  });
  nameInput.addEventListener("change", function () {
    if (storage) { try { storage.setItem("tact-reviewer", nameInput.value.trim()); } catch (e) { /* ignored */ } }
    review = load();
    show();
  });
  if (storage) { try { nameInput.value = storage.getItem("tact-reviewer") || ""; } catch (e) { /* ignored */ } }
  review = load();
  show();
})();

"""One timed Spark run for bench/spark.sh: check a Parquet corpus with tact.spark.check on
`local[N]` and write the violations as Parquet. Prints the time from the first read to the last
file written (Spark's start-up left out), the CPU seconds of this process tree over it (the
JVM and its Python workers), the conversations, the violations and the input partitions."""

import os
import sys
import time

from pyspark.sql import SparkSession

import tact
import tact.spark

source, output, master = sys.argv[1:4]
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
spark = (
    SparkSession.builder.master(master)
    .config("spark.ui.enabled", "false")
    .config("spark.driver.memory", "4g")
    .config("spark.sql.parquet.compression.codec", "zstd")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")
def cpu_seconds():
    """User + system CPU of this process and its descendants (the JVM, its Python workers),
    counting those that ended and were waited for."""
    import subprocess

    tree, queue = set(), [str(os.getpid())]
    while queue:
        pid = queue.pop()
        if pid not in tree:
            tree.add(pid)
            queue += subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True).stdout.split()
    total = 0
    for pid in tree:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        except (OSError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


started = time.monotonic()
cpu = cpu_seconds()
violations = tact.spark.check(spark.read.parquet(source), tact.Policy.builtin())
violations.write.mode("overwrite").parquet(output)
seconds = time.monotonic() - started
cpu = cpu_seconds() - cpu
frame = spark.read.parquet(source)
conversations = frame.count()
found = spark.read.parquet(output).count()
partitions = frame.rdd.getNumPartitions()
print(f"{seconds:.1f} s wall, {cpu:.1f} s CPU, {conversations} conversations, "
      f"{found} violations, {partitions} partitions")
spark.stop()

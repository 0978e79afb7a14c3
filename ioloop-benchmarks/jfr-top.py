#!/usr/bin/env python3
"""Top methods of a JFR recording's CPU samples (JDK 17's `jfr` has no `view`): self time by
method and line, and inclusive time by method, optionally for threads whose name contains a string.

Usage: jfr-top.py recording.jfr [thread-name-part]
A recording of one benchmark, sampling every 1 ms (see BENCHMARKS.md, "Profiling"):
  java -cp ... org.openjdk.jmh.Main CallbackChainBenchmark -p impl=ioloop -f 1 -wi 2 -i 3 \
    -prof "jfr:dir=target/jfr;configName=$PWD/target/fast.jfc"
"""
import collections
import re
import subprocess
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    recording, thread_part = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
    text = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '40', recording],
                          capture_output=True, text=True, check=True).stdout
    own, inclusive, samples = collections.Counter(), collections.Counter(), 0
    for event in text.split('jdk.ExecutionSample {')[1:]:
        thread = re.search(r'sampledThread = "([^"]*)"', event)
        if thread_part and (not thread or thread_part not in thread.group(1)):
            continue
        frames = re.findall(r'^\s+([\w.$<>]+)\(.*?\)\s+line: (\d+)', event, re.M)
        if not frames:
            continue
        samples += 1
        own['%s:%s' % frames[0]] += 1
        for method in {frame[0] for frame in frames}:
            inclusive[method] += 1
    print('samples', samples)
    print('-- self (method:line)')
    for key, count in own.most_common(25):
        print('%5.1f%% %s' % (100.0 * count / samples, key))
    print('-- inclusive')
    for key, count in inclusive.most_common(30):
        print('%5.1f%% %s' % (100.0 * count / samples, key))


if __name__ == '__main__':
    main()

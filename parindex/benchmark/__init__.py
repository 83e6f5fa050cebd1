"""``make bench``: performance figures at national scale (see README "Benchmark")."""

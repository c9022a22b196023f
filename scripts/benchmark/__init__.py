"""The scale benchmark behind scripts/bench.py (make bench), one question per module:

options     what the environment asks for (sizes, seconds, connections, servers) and the targets
postgres    the PostgreSQL server: databases created, dropped, vacuumed, asked
app         how the app runs for the benchmark: its environment (production mode, BENCHMARK=1),
            manage.py, the cache emptied between sizes
data        the generated database of each size and its manifest: reused or generated afresh
server      gunicorn started and stopped, HTTP to it, signing in, the workers' peak memory
targets     the pages and API calls measured, and whose login opens each
load        the load driver: wrk against one page
profiling   the child processes: the deadline sweep, the export, EXPLAIN of each page's queries
verdicts    the issue's targets, each passed or failed
report      the machine, the tables and the query plans, as Markdown
cli         the command line and the run of one size
"""

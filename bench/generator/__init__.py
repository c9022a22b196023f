"""A county — or a city's years — of cases, fast: the data the scale benchmark (issue 10) reads.

    BENCHMARK=1 python manage.py generate_load --cases 1000000 [--manifest var/bench/load.json]

(BENCHMARK=1 installs the bench app, which production leaves out; make bench sets it.)

The frame (departments, categories, users, enterprises, task forces with their members and
coverage) is small and goes through the ORM. The volume — cases, about five events and two
notifications per case, reminders, ratings, commitments, co-departments, visits — is streamed
to PostgreSQL with COPY, CHUNK cases at a time, so memory stays flat and a million cases take
minutes on two cores. It bypasses the workflow on purpose; what it writes has the workflow's
shape: deadlines from the real working-day calendar, the reminder ladder's rungs sent up to the
present with the cursor (`next_reminder_at`) and `escalation_level` the sweep would have left, so
a sweep right after generation finds nothing due.

The mix follows the county's life: problems over the years (more of them lately), nearly all of
the old ones closed, the recent ones in every state; one case in ten is a key enterprise's; a
few returned, reopened, extended, appealed. Sizes scale the county with the cases: about one
enterprise per thirty cases (3,000 at least) and 3 to 10 years of history.

Four logins for the benchmark (password PASSWORD): bench_office (the county office), bench_clerk
(a clerk of the busiest department), bench_enterprise (a key enterprise's contact), bench_leader
(a county leader of task forces). One case of the clerk's department carries 50 events. The
manifest (JSON) names them and the ids the benchmark's URLs need.

The modules: county (the frame, through the ORM), lives (one case's life, planned), deadlines
(the domain's deadline rules, asked once per day or due moment), writer (the volume, COPY),
tables (COPY text), mix (the weights and constants), run (the transaction and the manifest).
"""

from bench.generator.mix import CHUNK, PASSWORD
from bench.generator.run import Generator, Manifest

__all__ = ["CHUNK", "PASSWORD", "Generator", "Manifest"]

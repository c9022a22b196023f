"""A county — or a city's years — of cases, fast: the data the scale benchmark (issue 10) reads.

    BENCHMARK=1 python manage.py generate_load --cases 1000000 --counties 10 [--manifest x.json]

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

A city of --counties counties (default 1) shares the cases out evenly: each county has its own
departments, enterprises, task forces, staff and cases, as one county of its cases would, and
nothing in one refers to another (a merged case's survivor, a rater, an actor are its county's);
the years span the whole city's cases. The first county is the installation's own (进贤县).

Four logins for the benchmark (password PASSWORD): bench_office (the county office), bench_clerk
(a clerk of the busiest department), bench_enterprise (a key enterprise's contact), bench_leader
(a county leader of task forces), all of the first county (the other counties' are bench2_office
…); bench_city (the city office) and bench_citydept (the clerk of the city department 市发改委,
to which each county's latest few escalated cases were assigned through the workflow). One case of
the clerk's department carries 50 events. The manifest (JSON) names them, the counties and the
ids the benchmark's URLs need.

The modules: county (the frame, through the ORM), lives (one case's life, planned), deadlines
(the domain's deadline rules, asked once per day or due moment), writer (the volume, COPY),
tables (COPY text), mix (the weights and constants), city (the counties, the city's logins and
escalations), run (the transaction and the manifest).
"""

from bench.generator.mix import CHUNK, PASSWORD
from bench.generator.run import Generator, Manifest

__all__ = ["CHUNK", "PASSWORD", "Generator", "Manifest"]

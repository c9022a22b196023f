"""What the generated county is made of: the logins' password, the chunk size, and the weights of
a case's life — how it ends up by its age, how it is rated, who writes which event."""

from __future__ import annotations

from cases.models import Case, CaseEvent
from enterprises.validators import credit_code_check_character

PASSWORD = "bench-county-only"
CHUNK = 20_000  # cases planned, then written with one COPY per table
S, K, R = Case.Status, CaseEvent.Kind, Case.Rating
RATINGS = [
    (R.VERY_SATISFIED, 45),
    (R.SATISFIED, 30),
    (R.BASICALLY_SATISFIED, 15),
    (R.DISSATISFIED, 7),
    (R.VERY_DISSATISFIED, 3),
]
# How a case ends up, by its age in days: (older than, [(status, weight)]), first match wins.
STATES_BY_AGE = [
    (365, [(S.CLOSED, 975), (S.REPLIED, 6), (S.IN_PROGRESS, 6), (S.MERGED, 12), (S.ASSIGNED, 1)]),
    (120, [(S.CLOSED, 88), (S.REPLIED, 4), (S.IN_PROGRESS, 5), (S.ASSIGNED, 1), (S.MERGED, 2)]),
    (
        20,
        [
            (S.CLOSED, 45),
            (S.REPLIED, 15),
            (S.IN_PROGRESS, 30),
            (S.ASSIGNED, 5),
            (S.SUBMITTED, 3),
            (S.MERGED, 2),
        ],
    ),
    (
        -1,
        [
            (S.CLOSED, 5),
            (S.REPLIED, 10),
            (S.IN_PROGRESS, 40),
            (S.ASSIGNED, 25),
            (S.SUBMITTED, 18),
            (S.MERGED, 2),
        ],
    ),
]
# The events a lead department's clerk writes (the office writes the others, the rater rates).
DEPARTMENT_KINDS = frozenset({K.RETURNED, K.ACCEPTED, K.PROGRESS, K.EXTENSION_REQUESTED, K.REPLIED})
PROGRESS_NOTES = ["已现场查看，正在协调", "已召开协调会", "已上报主管部门", "材料已收齐，正在办理"]


def credit_code(n: int) -> str:
    body = f"91360124LG{n:07d}"
    return body + credit_code_check_character(body)

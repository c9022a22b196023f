"""The API's shapes (DESIGN §9): reading cases and their neighbours, and parsing each action's input.

Serializers only parse and present. Which objects an id may name comes from the selectors (an id
outside the user's scope reads "does not exist", like an id that never existed); whether an action
may happen, and every business rule, is the workflow's.

One module per area — fields (shared), cases, events, visits, directory, account, stats, actions;
`from api.serializers import X` (and `api.serializers.X`) names every one of them. The class names
are the OpenAPI components' names (docs/openapi.yaml): renaming one changes the contract.
"""

from api.serializers.account import (
    CredentialsSerializer,
    MeSerializer,
    MyTaskForceSerializer,
    TokenSerializer,
)
from api.serializers.actions import (
    AcceptSerializer,
    AppealSerializer,
    AssignSerializer,
    BreakdownSerializer,
    CommitmentSerializer,
    CompleteBreakdownSerializer,
    DecideAppealSerializer,
    DecideSerializer,
    EscalateToCitySerializer,
    KeepCommitmentSerializer,
    ListingSerializer,
    MergeSerializer,
    NoteSerializer,
    ProgressSerializer,
    RateSerializer,
    ReopenSerializer,
    ReplySerializer,
    RequestExtensionSerializer,
    RequestSuspensionSerializer,
    ReturnSerializer,
)
from api.serializers.cases import CaseCreateSerializer, CaseSerializer
from api.serializers.city import CityEscalationSerializer
from api.serializers.directory import (
    DepartmentSerializer,
    EnterpriseSerializer,
    TaskForceMemberSerializer,
    TaskForceSerializer,
)
from api.serializers.events import CaseEventSerializer, EventAttachmentSerializer
from api.serializers.fields import (
    TEXT_MAX,
    TITLE_MAX,
    BlankAsNullChoiceField,
    CaseChildField,
    CategoryField,
    DayField,
    MomentField,
    ScopedIdField,
    line_field,
    text_field,
)
from api.serializers.stats import (
    DepartmentStatsReportSerializer,
    DepartmentStatsSerializer,
    RatingCountsSerializer,
    StatsRangeSerializer,
)
from api.serializers.visits import (
    MAX_PROBLEMS_PER_VISIT,
    ProblemSerializer,
    VisitCreateSerializer,
    VisitSerializer,
)

__all__ = [
    "MAX_PROBLEMS_PER_VISIT",
    "TEXT_MAX",
    "TITLE_MAX",
    "AcceptSerializer",
    "AppealSerializer",
    "AssignSerializer",
    "BlankAsNullChoiceField",
    "BreakdownSerializer",
    "CaseChildField",
    "CaseCreateSerializer",
    "CaseEventSerializer",
    "CaseSerializer",
    "CategoryField",
    "CityEscalationSerializer",
    "CommitmentSerializer",
    "CompleteBreakdownSerializer",
    "CredentialsSerializer",
    "DayField",
    "DecideAppealSerializer",
    "DecideSerializer",
    "EscalateToCitySerializer",
    "DepartmentSerializer",
    "DepartmentStatsReportSerializer",
    "DepartmentStatsSerializer",
    "EnterpriseSerializer",
    "EventAttachmentSerializer",
    "KeepCommitmentSerializer",
    "ListingSerializer",
    "MeSerializer",
    "MergeSerializer",
    "MomentField",
    "MyTaskForceSerializer",
    "NoteSerializer",
    "ProblemSerializer",
    "ProgressSerializer",
    "RateSerializer",
    "RatingCountsSerializer",
    "ReopenSerializer",
    "ReplySerializer",
    "RequestExtensionSerializer",
    "RequestSuspensionSerializer",
    "ReturnSerializer",
    "ScopedIdField",
    "StatsRangeSerializer",
    "TaskForceMemberSerializer",
    "TaskForceSerializer",
    "TokenSerializer",
    "VisitCreateSerializer",
    "VisitSerializer",
    "line_field",
    "text_field",
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskforcePagesConfig(AppConfig):
    """The task forces' pages: 我的专班 and 逐个研究 for their members and leaders, and the office's
    pages that form them (专班管理, 全覆盖, 人员账号). The rules live in cases.taskforces and
    cases.people; the task forces themselves in taskforces."""

    name = "taskforce_pages"
    verbose_name = _("专班页面")

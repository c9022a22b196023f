"""The forms' renderer (FORM_RENDERER): Django's own Jinja2 copies of the widget templates, the same
markup at less cost than the Django template engine; a template only the Django engine has (the
admin's related-object wrapper) is rendered by it."""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(BaseRenderer):
    def __init__(self):
        self._jinja2 = Jinja2()
        self._django = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self._jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self._django.get_template(template_name)

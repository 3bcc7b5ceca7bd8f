from django.db import models
from django_fsm import FSMField, transition

from engine.cases.models import Case


class ExampleCase(Case):
    """Prepared by staff, approved by a reviewer who did not prepare it (D3)."""

    REFERENCE_PREFIX = "EX"
    FINAL_STATES = ("approved", "withdrawn")
    PROCESS_NAME = "example"
    TITLE_FORMAT = "%(reference)s %(subject)s"
    TITLE_FIELDS = {"subject": "subject"}

    status = FSMField(default="draft", protected=True, choices=[
        ("draft", "草稿"), ("review", "审核中"), ("approved", "已批准"), ("withdrawn", "已撤回"),
    ])
    subject = models.CharField(max_length=100)

    @transition(field=status, source=["draft"], target="review")
    def submit(self):
        pass

    @transition(field=status, source=["review"], target="draft")
    def send_back(self):
        pass

    @transition(field=status, source=["review"], target="approved")
    def approve(self):
        pass

    @transition(field=status, source=["draft", "review"], target="withdrawn")
    def withdraw(self):
        pass

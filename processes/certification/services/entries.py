"""Organizations entering volunteers' basic information: the rules of an entry (R4, D6) in one
place, for an entry made by hand (``registry.volunteer_register``) and for a file of them (the
"volunteers" import), which writes a chunk of entries with one bulk insert through
:class:`VolunteerEntryBatch` and numbers them all in one block at its end."""
import uuid

from django.utils import timezone
from django.utils.translation import gettext as _

from engine.cases.errors import NotAllowed, RuleViolation
from engine.cases.models import number_batch, provisional_reference
from engine.directory import rights

from ..models import Volunteer


def check_entry(*, organization_ids, organization_id, consent) -> None:
    """R4: an organization enters a volunteer only with the volunteer's recorded consent, and
    only someone acting for that organization enters for it. ``organization_ids``: those the
    actor acts for, or None for any (an import run at the console). Raises NotAllowed or
    RuleViolation, each naming the field it is about."""
    if not organization_id:
        raise RuleViolation(_("Choose the entering organization."), fields={"registered_by": [_("Required.")]})
    if organization_ids is not None and organization_id not in organization_ids:
        raise NotAllowed(_("Only members of the organization can enter volunteer details."),
                         fields={"registered_by": [_("Not your organization.")]})
    if consent is not True:
        raise RuleViolation(_("Volunteer details are entered only with the volunteer's consent."), fields={"consent": [_("Confirm that the volunteer has consented.")]})


def check_entry_change(*, organization_ids, entered_by_id, organization_id) -> None:
    """R4: an entry stays its organization's; one organization's consent does not let another
    rewrite it, so only someone acting for the entering organization changes the entry."""
    if entered_by_id != organization_id or (organization_ids is not None and entered_by_id not in organization_ids):
        raise NotAllowed(_("This volunteer was entered by another organization; only that organization can update the details."),
                         fields={"id_number": [_("Not a volunteer entered by your organization.")]})


class VolunteerEntryBatch:
    """The bulk form of entering volunteers, for one import by ``actor``: each row is checked
    with the rules above (the actor's organizations read once, not per row); the rows are then
    written a chunk at a time with placeholder numbers (:meth:`number_provisionally`), and
    :meth:`finish` gives them all one block of volunteer numbers, so the number counter is
    held from there to the commit rather than while the file is read. The import leaves one
    summary audit event instead of one per volunteer. A superuser, like the console (no
    actor), enters for any organization."""

    def __init__(self, actor):
        self.organization_ids = None if actor is None or actor.is_superuser else rights.organization_ids(actor)
        self.year, self.batch, self.count = timezone.localdate().year, uuid.uuid4().hex[:8], 0

    def may_enter_for(self, organization_id) -> bool:
        return self.organization_ids is None or organization_id in self.organization_ids

    def enter(self, volunteer: Volunteer, *, consent) -> None:
        """Check a new entry (not yet saved) and record its consent (R4)."""
        check_entry(organization_ids=self.organization_ids, organization_id=volunteer.registered_by_id,
                    consent=consent)
        volunteer.consent_at = timezone.now()
        volunteer.consent_note = volunteer.consent_note or _("Bulk import, with the volunteer's consent")

    def change(self, volunteer: Volunteer, *, entered_by_id) -> None:
        """Check a change to an existing entry, first entered by ``entered_by_id``."""
        check_entry_change(organization_ids=self.organization_ids, entered_by_id=entered_by_id,
                           organization_id=volunteer.registered_by_id)

    def number_provisionally(self, volunteers) -> None:
        """Placeholders for new entries about to be bulk-created, in file order."""
        for volunteer in volunteers:
            volunteer.volunteer_number = provisional_reference("ZY", self.year, self.batch, self.count)
            self.count += 1

    def finish(self) -> None:
        """One block of volunteer numbers for every entry of the batch; call last, before commit."""
        number_batch(Volunteer.objects, "volunteer_number", "ZY", self.year, self.batch, self.count)

"""A base's incubation settings (I2, I4, I5), changed by the administrator: locked, right
checked, audited with the values before and after (D4). The admin calls this; it writes no
audit event itself."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, RuleViolation

from ..models import IncubationBaseSettings


@transaction.atomic
def base_settings_save(*, actor, base_settings: IncubationBaseSettings) -> IncubationBaseSettings:
    """Create or change one base's settings. The base is the row's key and never changes."""
    current = IncubationBaseSettings.objects.select_for_update().filter(pk=base_settings.pk).first()
    verb = "change" if current is not None else "add"
    if not (actor.is_superuser or actor.has_perm(f"incubation.{verb}_incubationbasesettings")):
        raise NotAllowed(_("You are not allowed to change the incubation base settings."))
    try:
        base_settings.full_clean()
    except ValidationError as exc:
        raise RuleViolation(_("The submitted data are not valid."), fields=exc.message_dict) from None
    before = model_to_dict(current) if current is not None else {}
    base_settings.save()
    audit_record(actor=actor, action="incubation.base_settings.change", obj=base_settings,
                 reference=base_settings.base.code, before=before, after=model_to_dict(base_settings))
    return base_settings

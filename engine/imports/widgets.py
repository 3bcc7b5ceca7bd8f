"""Cell converters that speak the user's language: codes for related rows, Chinese labels for
choices, 是/否 for booleans, and Chinese messages when a cell cannot be read."""
from decimal import Decimal

from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import widgets


class CodeForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related row named by a stable code; an unknown code is a row error, not a crash."""

    def __init__(self, model, field="code", **kwargs):
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        value = force_str(value).strip()
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("找不到代码为“%(code)s”的%(model)s。")
                % {"code": value, "model": self.model._meta.verbose_name}
            ) from None


class ChoiceWidget(widgets.Widget):
    """A choice given as its stored value or its display label; exported as the label."""

    def __init__(self, choices, **kwargs):
        self.choices = [(str(value), str(label)) for value, label in choices]
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        text = force_str(value).strip()
        for stored, label in self.choices:
            if text in (stored, label) or text.lower() == stored.lower():
                return stored
        raise ValueError(
            _("“%(value)s”不是有效的选项，可选：%(options)s。")
            % {"value": text, "options": "、".join(label for _v, label in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(str(value), "" if value is None else str(value))


class YesNoWidget(widgets.Widget):
    """是/否 (and the usual spellings of yes and no); a blank cell means "not given"."""

    TRUE = {"是", "y", "yes", "true", "1", "√", "✓"}
    FALSE = {"否", "n", "no", "false", "0", "×", "✗"}

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        text = force_str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("“%(value)s”无法识别，请填写“是”或“否”。") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else ("是" if value else "否")


class WholeNumberWidget(widgets.IntegerWidget):
    """An integer; 1.5 or 二十 is refused with a Chinese message rather than truncated or crashing."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = Decimal(force_str(value).strip().replace(",", ""))
        except ArithmeticError:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("“%(value)s”不是整数。") % {"value": value})
        if abs(number) >= 10**18:  # beyond any count we keep; also keeps int() cheap
            raise ValueError(_("“%(value)s”超出允许的范围。") % {"value": value})
        return int(number)

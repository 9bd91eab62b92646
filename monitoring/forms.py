from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MonthField
from strategy.models import StrategyCycle


class PeriodForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Strategy cycle"), queryset=StrategyCycle.objects.all(), empty_label=None
    )
    first_month = MonthField(label=_("First month"))
    last_month = MonthField(
        label=_("Last month"), help_text=_("The same as the first month for a monthly period.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = StrategyCycle.objects.filter(is_current=True).first()
        if current is not None:
            self.fields["cycle"].initial = current.pk


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the period reopened?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Kept with the figures frozen at its closing, which stay downloadable."),
    )

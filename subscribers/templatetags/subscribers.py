"""``{% subscriber_counts %}``: the subscriber counts box, for coordinators' pages."""

from django import template

from subscribers.selectors import subscriber_counts as read_counts

register = template.Library()


@register.inclusion_tag("subscribers/_counts.html")
def subscriber_counts() -> dict:
    return {"counts": read_counts()}

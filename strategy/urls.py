"""URLs of the strategy pages: the public strategy and the coordinators' editing pages."""

from strategy.views import manage, public

app_name = "strategy"
urlpatterns = public.urlpatterns + manage.urlpatterns

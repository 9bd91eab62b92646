from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.period_list, name="list"),
    path("<int:pk>/", views.period_detail, name="detail"),
    path("<int:pk>/close/", views.period_close, name="close"),
    path("<int:pk>/reopen/", views.period_reopen, name="reopen"),
    path("<int:pk>/closings/<int:number>.csv", views.frozen_csv, name="frozen_csv"),
    path("<int:pk>/closings/<int:number>.xlsx", views.frozen_xlsx, name="frozen_xlsx"),
]

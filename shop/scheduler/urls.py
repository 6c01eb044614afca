from django.urls import path

from shop.scheduler import views

app_name = "scheduler"
urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("<int:task_id>/", views.task_detail, name="task"),
    path("<int:task_id>/run/", views.task_run_now, name="run_now"),
    path("<int:task_id>/release-lock/", views.task_release_lock, name="release_lock"),
    path("runs/<int:run_id>/status/", views.run_status, name="run_status"),
]

"""The task pages (/nhiem-vu/): the lists, task page and forms (``urls_pages``), and the
dashboards (``urls_dashboard``) and the periodic reports (``urls_reports``)."""

from vanphong.tasks.urls import dashboard as urls_dashboard
from vanphong.tasks.urls import pages as urls_pages
from vanphong.tasks.urls import reports as urls_reports

app_name = "tasks"
urlpatterns = [*urls_pages.urlpatterns, *urls_dashboard.urlpatterns, *urls_reports.urlpatterns]

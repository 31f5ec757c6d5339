from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self) -> None:
        # An open manager review follows the org chart (perfmgmt.tenancy.hooks).
        from perfmgmt.tenancy.hooks import managers_changed

        from .services.cycles.people import on_managers_changed

        managers_changed.register(on_managers_changed)

        # Review dates of improvement plans on the 1:1 agenda (feedback.meetings.hooks).
        from feedback.meetings.hooks import agenda_items_wanted

        from .agenda import plan_review_dates_on_agenda

        agenda_items_wanted.register(plan_review_dates_on_agenda)

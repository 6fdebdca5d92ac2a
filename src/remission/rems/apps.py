from django.apps import AppConfig


class RemsConfig(AppConfig):
    name = "remission.rems"
    label = "rems"

    def ready(self) -> None:
        from remission.rems import plugs  # models are loaded only once apps are ready

        plugs.register()

from django.apps import AppConfig


class ControlledConfig(AppConfig):
    name = "remission.controlled"
    label = "controlled"

    def ready(self) -> None:
        from remission.controlled import plugs  # models are loaded only once apps are ready

        plugs.register()

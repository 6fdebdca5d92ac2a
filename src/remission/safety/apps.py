from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "remission.safety"
    label = "safety"

    def ready(self) -> None:
        from remission.safety import plugs  # models are loaded only once apps are ready

        plugs.register()

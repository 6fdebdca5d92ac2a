from django.apps import AppConfig


class ChairsideConfig(AppConfig):
    name = "remission.chairside"
    label = "chairside"

    def ready(self) -> None:
        from remission.chairside import plugs  # models are loaded only once apps are ready

        plugs.register()

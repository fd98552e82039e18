app_name = "assemblies"
urlpatterns: list = []

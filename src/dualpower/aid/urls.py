app_name = "aid"
urlpatterns: list = []

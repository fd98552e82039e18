app_name = "land"
urlpatterns: list = []

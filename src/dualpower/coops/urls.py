app_name = "coops"
urlpatterns: list = []

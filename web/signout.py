"""退出登录: signing out also empties what the browser kept for this site — the offline store of
the cadre's pages (IndexedDB, the service worker's caches, issue 20) — so the next user of a shared
phone reads nothing of the last one's. `Clear-Site-Data` does it whatever the page's script managed
before the form was sent; browsers honour it on https and on localhost."""

from django.contrib.auth import views as auth_views

CLEAR_SITE_DATA = '"cache", "storage"'


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response

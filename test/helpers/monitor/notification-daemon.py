"""A minimal desktop notification daemon for tests: owns org.freedesktop.Notifications on the
session bus (Desktop Notifications Specification 1.2) and prints each Notify call as one JSON line.

Run it under `dbus-run-session -- /usr/bin/python3 notification-daemon.py`; its first line is
{"ready": "<DBUS_SESSION_BUS_ADDRESS>"}. Needs Debian's python3-dbus and python3-gi.
"""
import json
import os

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

IFACE = 'org.freedesktop.Notifications'


class Daemon(dbus.service.Object):
    def __init__(self, bus):
        self.name = dbus.service.BusName(IFACE, bus)
        super().__init__(self.name, '/org/freedesktop/Notifications')
        self.last_id = 0

    @dbus.service.method(IFACE, in_signature='susssasa{sv}i', out_signature='u')
    def Notify(self, app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout):
        self.last_id += 1
        urgency = int(hints['urgency']) if 'urgency' in hints else None
        print(json.dumps({'app': str(app_name), 'summary': str(summary), 'body': str(body), 'urgency': urgency}), flush=True)
        return self.last_id

    @dbus.service.method(IFACE, out_signature='as')
    def GetCapabilities(self):
        return ['body']

    @dbus.service.method(IFACE, out_signature='ssss')
    def GetServerInformation(self):
        return ('lab-test-daemon', 'cxone-sip-lab', '1', '1.2')

    @dbus.service.method(IFACE, in_signature='u')
    def CloseNotification(self, notification_id):
        pass


dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
daemon = Daemon(dbus.SessionBus())
print(json.dumps({'ready': os.environ['DBUS_SESSION_BUS_ADDRESS']}), flush=True)
GLib.MainLoop().run()

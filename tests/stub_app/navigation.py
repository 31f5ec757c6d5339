from perfmgmt.web.menu import Group, NavigationEntry, register

register(NavigationEntry("Stub reviews", "people:directory", Group.MY_WORK, order=99))

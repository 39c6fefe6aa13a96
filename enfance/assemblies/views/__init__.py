"""The pages of the instances, by sub-domain. (An election held at an atelier and an instance
proposed at the end of a forum start from an event: their pages are the events module's, under
the same addresses, see ``enfance.events.instance_urls``.)"""

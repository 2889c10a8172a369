# My roster: the viewer's places on trial rosters, hand-overs of a place
# to a colleague, and the private calendar feed.

## Confirmations after a change.

roster-done-feed-revoked = Your calendar feed was turned off: its address no longer works.
roster-done-feed-none = You had no calendar feed; nothing changed.
roster-done-offer-made = Your place is on offer until the claim deadline.
roster-done-offer-accepted = You took over the place: it is yours, where it stood on the roster.
roster-done-offer-declined = You declined the offer.
roster-done-offer-withdrawn = You withdrew your offer; the place is still yours.

## My roster (/roster).

roster-title = My roster
roster-intro = Your places on the rosters of hearings still to come. Times are the court's local time, with your own time ({ $zone }) beside it.
roster-empty = You hold no place on any roster.
roster-find-hearing = Find a hearing to observe
roster-caption = Your claims, soonest first
roster-col-hearing = Hearing
roster-col-starts = Starts
roster-col-city = City
roster-col-place = Your place
roster-col-action = Action
roster-release = Release
# Read by screen readers after "Release".
roster-release-which = my place at { $court } on { $when }
roster-hand-over-to = Hand over to
roster-anyone = Anyone who may claim
roster-offer = Offer my place
# Read by screen readers after "Offer my place".
roster-offer-which = at { $court } on { $when }

## Hand-overs.

roster-handovers = Hand-overs
roster-handovers-intro = Places offered by you, to you, or to anyone. A place taken over keeps its spot on the roster. Offers end at the hearing's claim deadline.
roster-no-offers = No open offers.
roster-offered-to-anyone = You offered it to anyone who may claim
roster-offered-to = You offered it to { $name }
roster-offered-to-colleague = You offered it to a colleague
roster-offered-to-you = A colleague offers it to you
roster-open-to-anyone = Open to anyone who may claim
roster-withdraw = Withdraw
roster-withdraw-which = my offer at { $court }
roster-accept = Accept
roster-accept-which = the place at { $court }
roster-decline = Decline
roster-decline-which = the place at { $court }

## The calendar feed.

roster-feed = Calendar feed
roster-feed-intro = A private web address that Outlook or another calendar app can subscribe to: it lists the hearings where you have a confirmed place, with the court and city only (never the case or the defender). Anyone who has the address can read it, so keep it to yourself.
roster-feed-on = Your feed is on.
roster-feed-once = Its address is shown only once, when it is made. If you lost it, or think someone else has it, make a new one: the old address stops working.
roster-feed-replace = Replace my feed address
roster-feed-turn-off = Turn off my feed
roster-feed-none = You have no feed.
roster-feed-make = Make my feed address
roster-feed-title = Your calendar feed
roster-feed-new = This is your new private feed address. Copy it now into your calendar app (in Outlook: add a calendar "from the internet"). It is shown only this once; any earlier address has stopped working.
roster-feed-address = Feed address
roster-feed-warning = Anyone with this address can read which hearings you will observe. Do not share it; if it leaks, make a new one or turn the feed off on My roster.
roster-feed-back = Back to my roster

# Ma liste d'observation : les places de la personne sur les listes
# d'observation des procès, les transferts de place et le flux d'agenda privé.

## Confirmations après une modification.

roster-done-feed-revoked = Votre flux d'agenda a été désactivé : son adresse ne fonctionne plus.
roster-done-feed-none = Vous n'aviez pas de flux d'agenda ; rien n'a changé.
roster-done-offer-made = Votre place est proposée jusqu'à la fin des inscriptions.
roster-done-offer-accepted = Vous avez repris la place : elle est à vous, au rang qu'elle occupait sur la liste.
roster-done-offer-declined = Vous avez décliné la proposition.
roster-done-offer-withdrawn = Vous avez retiré votre proposition ; la place reste à vous.

## Ma liste d'observation (/roster).

roster-title = Ma liste d'observation
roster-intro = Vos places sur les listes d'observation des audiences à venir. Les heures sont celles du tribunal, avec votre propre heure ({ $zone }) à côté.
roster-empty = Vous n'avez de place sur aucune liste d'observation.
roster-find-hearing = Trouver une audience à observer
roster-caption = Vos réservations, les plus proches d'abord
roster-col-hearing = Audience
roster-col-starts = Début
roster-col-city = Ville
roster-col-place = Votre place
roster-col-action = Action
roster-release = Libérer
roster-release-which = ma place pour { $court }, le { $when }
roster-hand-over-to = Transférer à
roster-anyone = Toute personne pouvant réserver
roster-offer = Proposer ma place
roster-offer-which = pour { $court }, le { $when }

## Transferts de place.

roster-handovers = Transferts de place
roster-handovers-intro = Les places proposées par vous, à vous ou à tout le monde. Une place reprise garde son rang sur la liste. Les propositions prennent fin à la clôture des inscriptions de l'audience.
roster-no-offers = Aucune proposition en cours.
roster-offered-to-anyone = Vous l'avez proposée à toute personne pouvant réserver
roster-offered-to = Vous l'avez proposée à { $name }
roster-offered-to-colleague = Vous l'avez proposée à un ou une collègue
roster-offered-to-you = Une personne de votre mission vous la propose
roster-open-to-anyone = Ouverte à toute personne pouvant réserver
roster-withdraw = Retirer
roster-withdraw-which = ma proposition pour { $court }
roster-accept = Accepter
roster-accept-which = la place pour { $court }
roster-decline = Décliner
roster-decline-which = la place pour { $court }

## Le flux d'agenda.

roster-feed = Flux d'agenda
roster-feed-intro = Une adresse web privée à laquelle Outlook ou une autre application d'agenda peut s'abonner : elle liste les audiences où vous avez une place confirmée, avec seulement le tribunal et la ville (jamais le dossier ni la personne défenseure). Toute personne qui connaît l'adresse peut la lire : gardez-la pour vous.
roster-feed-on = Votre flux est activé.
roster-feed-once = Son adresse n'est affichée qu'une fois, à sa création. Si vous l'avez perdue ou pensez que quelqu'un d'autre la connaît, créez-en une nouvelle : l'ancienne adresse cessera de fonctionner.
roster-feed-replace = Remplacer l'adresse de mon flux
roster-feed-turn-off = Désactiver mon flux
roster-feed-none = Vous n'avez pas de flux.
roster-feed-make = Créer l'adresse de mon flux
roster-feed-title = Votre flux d'agenda
roster-feed-new = Voici la nouvelle adresse privée de votre flux. Copiez-la dès maintenant dans votre application d'agenda (dans Outlook : ajouter un calendrier « à partir d'Internet »). Elle n'est affichée que cette fois ; toute adresse précédente a cessé de fonctionner.
roster-feed-address = Adresse du flux
roster-feed-warning = Toute personne disposant de cette adresse peut savoir quelles audiences vous allez observer. Ne la partagez pas ; si elle est divulguée, créez-en une nouvelle ou désactivez le flux depuis Ma liste d'observation.
roster-feed-back = Retour à ma liste d'observation

# Les audiences : le calendrier, une audience, sa liste d'observation et le
# formulaire d'observation (observation des procès, méthode OSCE/BIDDH).

## Confirmations après une modification.

hearings-done-place-confirmed = Votre place sur la liste d'observation de cette audience est confirmée.
hearings-done-place-waitlisted = Vous êtes sur la liste d'attente de cette audience. Vous recevrez un courriel si une place se libère.
hearings-done-place-released = Vous avez libéré votre place sur la liste d'observation.
hearings-done-observation-saved = Votre observation a été enregistrée.

## Une place sur une liste d'observation, en toutes lettres.

hearings-place-confirmed = Confirmée
hearings-place-waitlisted = En liste d'attente
hearings-place-waitlisted-number = En liste d'attente, rang { $number }
hearings-place-suspended = Suspendue
hearings-place-suspended-consent = Suspendue : la personne défenseure a retiré son consentement
hearings-place-suspended-visibility = Suspendue : le pays n'a plus accès au dossier
hearings-place-unknown = Inconnue

## Statut et couverture d'une audience.

hearings-status-scheduled = Prévue
hearings-status-postponed = Reportée
hearings-status-held = Tenue
hearings-status-cancelled = Annulée
hearings-status-unknown = Inconnu
hearings-coverage-uncovered = Non couverte
hearings-coverage-partial = Partiellement couverte
hearings-coverage-covered = Couverte

## Ce qui s'est passé à l'audience.

hearings-outcome-access-denied = Accès refusé
hearings-outcome-adjourned = Renvoyée
hearings-outcome-heard = Affaire entendue
hearings-outcome-verdict = Jugement rendu
hearings-outcome-postponed = Reportée
hearings-outcome-other = Autre

## Réponses de l'observation.

hearings-yes = Oui
hearings-no = Non
hearings-not-recorded = Non renseigné
hearings-none-recorded = Aucune catégorie renseignée
hearings-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
hearings-courtroom-granted = Accordé
hearings-courtroom-granted-after-delay = Accordé après un délai
hearings-courtroom-denied = Refusé
hearings-access-open = Publique
hearings-access-restricted = Restreinte
hearings-access-closed = À huis clos
hearings-access-not-observed = Non observé
hearings-counsel-unrestricted = Sans restriction
hearings-counsel-restricted = Restreint
hearings-counsel-denied = Refusé
hearings-counsel-not-observed = Non observé
hearings-interpretation-provided = Assurée
hearings-interpretation-inadequate = Insuffisante
hearings-interpretation-not-provided = Non assurée
hearings-interpretation-not-needed = Non nécessaire
hearings-present-family = Famille
hearings-present-public = Public
hearings-present-press = Presse
hearings-present-other-diplomats = Autres diplomates
hearings-present-un-or-international = ONU ou organismes internationaux
hearings-present-ngo-observers = Observateurs et observatrices d'ONG
hearings-present-security-forces = Forces de sécurité
hearings-present-government-officials = Représentants du gouvernement
hearings-present-victims = Victimes

## Le calendrier (/hearings).

hearings-title = Audiences
hearings-intro = Les procès auxquels vous pouvez assister en observation. Les heures sont celles du tribunal, avec votre propre heure ({ $zone }) à côté.
hearings-filter = Filtrer les audiences
hearings-filter-host = Pays hôte
hearings-filter-any-country = Tous les pays
hearings-filter-from = Du
hearings-filter-from-hint = (jour, selon votre heure)
hearings-filter-to = Au
hearings-filter-to-hint = (inclus)
hearings-filter-submit = Afficher les audiences
hearings-error-date = Saisissez une date au format année-mois-jour, par exemple 2027-03-01
hearings-error-to-before-from = Doit être le même jour que « Du » ou plus tard
hearings-count = { $count ->
    [one] { $count } audience au total
   *[other] { $count } audiences au total
}{ $later ->
    [yes] {" "}(page suivante).
   *[no] .
}
hearings-none = Aucune audience ne correspond.
hearings-caption = Audiences par heure de début
hearings-col-starts = Début
hearings-col-court = Tribunal
hearings-col-city = Ville
hearings-col-host = Pays hôte
hearings-col-observers = Observations confirmées / nécessaires
hearings-col-your-place = Votre place
hearings-your-place-none = Aucune
hearings-first-page = Première page
hearings-next-page = Page suivante

## Une audience.

hearing-title = Audience : { $court }
hearing-heading = Audience : { $court }, { $city }
hearing-starts = Début (heure locale du tribunal)
hearing-duration = Durée
hearing-status = Statut
hearing-claims-close = Fin des inscriptions
hearing-case = Dossier
hearing-case-not-shared = Non partagé avec vous
hearing-observers = Observation
hearing-observers-count = { $confirmed } sur { $needed } places confirmées : { $coverage }
hearing-your-place = Votre place
hearing-your-place-none = Aucune
hearing-claim = Réserver une place
hearing-claim-hint = Vous obtenez une place confirmée s'il en reste une ; sinon, vous rejoignez la fin de la liste d'attente.
hearing-release = Libérer ma place
hearing-release-hint = La première personne de la liste d'attente l'obtient.
hearing-roster = Liste d'observation
hearing-roster-action = Liste d'observation
hearing-roster-empty = Personne n'a encore réservé de place.
hearing-roster-caption = Places confirmées, puis la liste d'attente dans l'ordre
hearing-col-place = Place
hearing-col-country = Pays
hearing-col-observer = Personne observatrice
hearing-observer-hidden = Non communiqué à votre pays
hearing-you = (vous)
hearing-observations = Observations
hearing-observations-none = Aucune observation n'a encore été soumise.
hearing-observation-from = Observation de { $country }
hearing-observation-from-named = Observation de { $country } : { $who }
hearing-observation-submitted = Soumise le { $submitted }
hearing-observation-submitted-amended = Soumise le { $submitted } ; modifiée le { $amended }
hearing-why-amended = Motif de la modification :
hearing-history = La version originale et les versions antérieures ({ $count })
hearing-history-original = Version originale
hearing-history-amendment = Modification { $number }
hearing-history-times = rédigée le { $written }, remplacée le { $replaced }
hearing-history-why = motif : { $reason }
hearing-report-later = Vous pourrez rendre compte de cette audience une fois qu'elle aura commencé.
hearing-form-amend-title = Modifier votre observation
hearing-form-submit-title = Soumettre votre observation
hearing-form-amend-hint = Votre observation est verrouillée telle que soumise : une modification en donne le contenu complet corrigé et son motif ; ce que vous avez d'abord consigné reste lisible.
hearing-form-submit-hint = Uniquement des faits ; une fois l'observation soumise, les corrections sont des modifications motivées. Ne nommez jamais la personne défenseure ni aucune personne présente.
hearing-field-courtroom-access = Accès à la salle d'audience
hearing-field-access-note = Déroulement de l'accès
hearing-field-access-note-hint = (facultatif, par exemple une attente ou une fouille)
hearing-field-public-access = Accès du public
hearing-field-press-access = Accès de la presse
hearing-field-counsel-access = Accès de la personne prévenue à son avocat·e
hearing-field-present = Personnes présentes
hearing-field-present-hint = (catégories uniquement, jamais de noms)
hearing-field-interpretation = Interprétation
hearing-field-duration = Durée
hearing-field-duration-minutes = Durée en minutes
hearing-field-optional = (facultatif)
hearing-field-adjourned = L'audience a été renvoyée
hearing-field-adjournment-reason = Motif donné pour le renvoi
hearing-field-adjournment-reason-short = Motif du renvoi
hearing-field-adjournment-reason-hint = (uniquement en cas de renvoi)
hearing-field-outcome = Issue
hearing-field-outcome-hint = (choisissez « Accès refusé » si l'entrée vous a été refusée)
hearing-field-choose = Choisir
hearing-field-defendant-present = La personne prévenue était-elle présente ?
hearing-field-ill-treatment = Des mauvais traitements ont-ils été allégués ?
hearing-field-notable-events = Faits marquants
hearing-field-notable-events-hint = (facultatif ; des faits, jamais de noms)
hearing-field-notes = Notes
hearing-field-notes-hint = (facultatif ; ne nommez jamais la personne défenseure)
hearing-field-reason = Motif de la modification
hearing-field-reason-label = Pourquoi vous la modifiez
hearing-field-reason-hint = (obligatoire ; affiché avec la modification)
hearing-form-amend = Modifier l'observation
hearing-form-submit = Soumettre l'observation
hearing-error-choose-access = Indiquez si vous avez pu entrer
hearing-error-choose-outcome = Indiquez ce qui s'est passé à l'audience
hearing-error-choose-present = Choisissez dans la liste
hearing-error-whole-minutes = Indiquez un nombre entier de minutes

## Une observation telle qu'affichée.

hearing-content-present = Présents
hearing-content-counsel-access = Accès à l'avocat·e
hearing-content-adjourned = Renvoi
hearing-content-adjourned-reason = { $adjourned } : { $reason }
hearing-content-defendant-present = Personne prévenue présente
hearing-content-ill-treatment = Mauvais traitements allégués

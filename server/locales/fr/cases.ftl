# Les pages des dossiers et des audiences : la liste des dossiers, un dossier,
# l'ouverture d'un dossier, le consentement, le partage, les levées
# d'anonymat, les audiences et les lacunes de couverture.

## Confirmations après une modification (?done=)

cases-done-case-created = Le dossier a été ouvert. Aucun consentement n'est encore enregistré.
cases-done-consent-recorded = Le consentement de la personne défenseure a été enregistré.
cases-done-case-shared = Le dossier est partagé.
cases-done-case-unshared = Le dossier n'y est plus partagé.
cases-done-hearing-scheduled = L'audience a été programmée.
cases-done-hearing-updated = L'audience a été mise à jour.
cases-done-reveal-requested = Votre demande a été envoyée au pays titulaire du dossier.
cases-done-reveal-approved = La demande a été approuvée : les détenteurs et détentrices de la clé du pays demandeur peuvent consulter l'identité jusqu'à l'échéance.
cases-done-reveal-denied = La demande a été refusée.
cases-done-reveal-revoked = La levée d'anonymat a été révoquée : l'identité est immédiatement fermée au pays demandeur.

## Ensembles fermés

cases-category-woman-hrd = Femme défenseure des droits humains
cases-category-environmental = Défenseur·e de l'environnement
cases-category-land-rights = Droits fonciers
cases-category-indigenous = Droits des peuples autochtones
cases-category-lgbti = Droits des personnes LGBTI
cases-category-journalist = Journaliste
cases-category-lawyer = Avocat·e
cases-category-trade-unionist = Syndicaliste
cases-category-student = Étudiant·e
cases-category-other = Autre

cases-risk-low = Faible
cases-risk-medium = Moyen
cases-risk-high = Élevé
cases-risk-critical = Critique

cases-status-at-risk = En danger
cases-status-detained = En détention
cases-status-on-trial = En procès
cases-status-released = Remise en liberté
cases-status-relocated = Relocalisation
cases-status-closed = Clos

# Une valeur que la page ne connaît pas (enregistrée par une version plus récente).
cases-unknown = Inconnu

# Ce qu'un partage montre d'un dossier, tel que le formulaire le propose.
cases-share-level-summary = Résumé : référence, pays hôte, statut, risque et catégories
cases-share-level-detail = Détail : en plus, pseudonyme, région, résumé et (avec consentement) audiences
# Les mêmes niveaux, en bref, dans la liste des partages.
cases-share-level-summary-short = Résumé
cases-share-level-detail-short = Détail

# Qui a donné le consentement.
cases-giver-defender = La personne défenseure
cases-giver-family = La famille de la personne défenseure
cases-giver-representative = La représentation de la personne défenseure

# Ce que la personne qui consulte voit d'un dossier.
cases-visibility-summary = Résumé (partagé avec votre pays)
cases-visibility-detail = Détail (partagé avec votre pays)
cases-visibility-owner = Complet (dossier de votre pays)

cases-hearing-status-scheduled = Programmée
cases-hearing-status-postponed = Reportée
cases-hearing-status-held = Tenue
cases-hearing-status-cancelled = Annulée

# Où en est une demande de levée d'anonymat.
cases-reveal-state-pending = En attente de décision
cases-reveal-state-approved = Approuvée
cases-reveal-state-denied = Refusée
cases-reveal-state-revoked = Révoquée
cases-reveal-state-expired = Expirée

# Un nombre de jours au choix.
cases-days = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
}

cases-coalition-named = Coalition : { $name }
cases-coalition-left = Une coalition dont votre pays ne fait plus partie

## La liste des dossiers

cases-title = Dossiers
cases-open-new = Ouvrir un nouveau dossier
cases-filter-label = Filtrer les dossiers
cases-any = Tous
cases-field-host-country = Pays hôte
cases-field-status = Statut
cases-field-risk = Risque
cases-field-category = Catégorie
cases-field-search = Recherche
cases-field-search-hint = (référence ; pseudonyme, région et résumé lorsqu'ils vous sont partagés)
cases-field-page = Page
cases-field-filters = Filtres
cases-show-cases = Afficher les dossiers
cases-clear-filters = Effacer les filtres
cases-count = { $filtered ->
    [yes] { $count ->
        [one] { $count } dossier correspond aux filtres
       *[other] { $count } dossiers correspondent aux filtres
    }
   *[no] { $count ->
        [one] { $count } dossier que vous pouvez consulter
       *[other] { $count } dossiers que vous pouvez consulter
    }
}
cases-col-reference = Référence
cases-col-pseudonym = Pseudonyme
cases-col-host-country = Pays hôte
cases-col-region = Région
cases-col-status = Statut
cases-col-risk = Risque
cases-col-categories = Catégories
cases-col-owner = Titulaire
cases-col-what-you-see = Ce que vous voyez
cases-not-shared = non partagé
cases-none = Aucun dossier à afficher.
cases-first-page = Première page
cases-next-page = Page suivante

## Ouvrir un dossier

cases-new-title = Ouvrir un dossier
cases-new-intro = Le dossier appartient à votre pays. Personne d'autre ne le voit tant que le consentement de la personne défenseure n'est pas enregistré et que vous ne le partagez pas.
cases-field-pseudonym = Pseudonyme
cases-field-pseudonym-hint = (jamais le vrai nom de la personne défenseure)
cases-choose-country = Choisissez le pays
cases-field-region = Région
cases-field-region-hint = (facultatif ; approximative, par exemple une province)
cases-field-categories = Catégories
cases-field-categories-hint = (au moins une)
cases-field-risk-level = Niveau de risque
cases-choose-risk-level = Choisissez le niveau de risque
cases-choose-status = Choisissez le statut
cases-field-summary = Résumé
cases-field-summary-hint = (facultatif ; partagé uniquement au niveau Détail)
cases-identity-legend = L'identité de la personne défenseure
cases-identity-legend-hint = (facultatif ; chiffrée, seul votre pays peut la lire, et chaque lecture est journalisée)
cases-field-legal-name = Nom légal
cases-field-contact = Contact
cases-field-location = Lieu exact
cases-field-notes = Notes
cases-new-submit = Ouvrir le dossier
cases-this-form = Ce formulaire

## Un dossier

cases-case-title = Dossier { $reference }
cases-case-title-named = Dossier { $reference } : { $pseudonym }
cases-all-cases = Tous les dossiers
cases-fact-what-you-see = Ce que vous voyez
cases-fact-host-country = Pays hôte
cases-fact-status = Statut
cases-fact-risk = Risque
cases-fact-categories = Catégories
cases-fact-pseudonym = Pseudonyme
cases-fact-region = Région
cases-not-given = Non indiquée
cases-fact-owner-country = Pays titulaire
cases-fact-opened = Ouvert le
cases-fact-last-changed = Dernière modification
cases-summary-heading = Résumé

cases-identity-heading = L'identité de la personne défenseure
cases-revealed-until = Identité révélée à votre pays jusqu'au { $until }.
cases-identity-audited = Cette lecture a été enregistrée dans le journal d'audit.
cases-not-recorded = Non enregistré
cases-hide-identity = Masquer l'identité
cases-show-identity-until = Afficher l'identité (révélée jusqu'au { $until })
cases-show-identity = Afficher l'identité de la personne défenseure
cases-each-reading-audited = (chaque lecture est enregistrée dans le journal d'audit)

cases-locked-no-key-admin = Votre pays n'a pas encore de clé d'identité : les identités ne peuvent donc pas être consultées.
cases-locked-no-key = Votre pays n'a pas encore de clé d'identité : les identités ne peuvent donc pas être consultées. Un·e administrateur·rice de votre pays la met en place.
cases-locked-no-key-link = Mettre en place la clé d'identité de votre pays
cases-locked-not-custodian = Vous ne détenez pas la clé d'identité de votre pays ; un·e administrateur·rice peut vous l'accorder.
cases-locked-not-custodian-link = Voir qui détient la clé
cases-locked-session = Votre clé est verrouillée dans cette session. Déconnectez-vous, puis reconnectez-vous avec votre mot de passe pour la déverrouiller.

## Demandes de levée d'anonymat

cases-reveals-heading-owner = Demandes de levée d'anonymat
cases-reveals-heading-partner = Les demandes d'identité de votre pays
cases-reveals-none-owner = Aucun pays partenaire n'a demandé l'identité.
cases-reveals-none-partner = Votre pays n'a pas demandé l'identité.
cases-reveal-from = Demandée par { $country }, le { $requested } : { $state }
cases-reveal-own = Demande du { $requested } : { $state }
cases-reveal-why-asked = Motif de la demande
cases-reveal-decision = Décision
cases-reveal-decision-at = Décision du { $at }
cases-reveal-open-until = Ouverte jusqu'au
cases-reveal-decide-why = Motif (lu par les deux pays)
cases-reveal-open-for = En cas d'approbation, ouverte pendant
cases-reveal-approve = Approuver
cases-reveal-deny = Refuser
cases-reveal-approve-hint = Approuver scelle l'identité pour la clé du pays demandeur jusqu'à l'échéance ; vous pouvez révoquer cette levée à tout moment.
cases-reveal-revoke-why = Motif de la révocation
cases-reveal-revoke = Révoquer
cases-reveal-request-title = Demander l'identité
cases-reveal-request-hint = Les détenteurs et détentrices de la clé du pays titulaire décident. En cas d'approbation, les détenteurs et détentrices de la clé de votre pays peuvent consulter l'identité jusqu'à la date choisie.
cases-reveal-request-why = Pourquoi vous en avez besoin
cases-reveal-request-submit = Demander l'identité
cases-reveal-field-why = Motif
cases-reveal-field-open-for = Ouverte pendant
cases-reveal-the-decision = La décision
cases-reveal-revoking = Révocation

## Les audiences du dossier

cases-hearings-heading = Audiences
cases-hearings-none = Aucune audience que vous pouvez consulter.
cases-hearings-caption = Audiences de ce dossier, les plus proches d'abord
cases-col-court-time = Heure du tribunal
cases-col-your-time = Votre heure
cases-col-court = Tribunal
cases-col-observers = Observateur·rices
cases-col-change = Modifier
cases-time-same = La même que celle du tribunal
cases-court-in-city = { $court }, { $city }
cases-confirmed-of = { $confirmed } sur { $needed } confirmé·es
cases-change = Modifier
cases-change-hearing = Modifier l'audience du { $when }
cases-hearings-more = Seules les 50 premières audiences sont listées ; le calendrier contient les autres.
cases-schedule-hearing = Programmer une audience
cases-assessment-link = Évaluation de l'équité du procès (version { $version })
cases-assessment-write = Rédiger l'évaluation de l'équité du procès

cases-reports-heading = Signalements d'attaque liés à ce dossier
cases-report-incident = { $reference }, incident du { $date }

## Consentement

cases-consent-heading = Le consentement de la personne défenseure
cases-consent-share = Partage avec les pays partenaires :
cases-consent-trial = Observation du procès :
cases-consent-public = Plaidoyer public :
cases-consent-given = donné
cases-consent-not-given = non donné
cases-consent-given-by = Donné par : { $by }
cases-consent-given-by-at = Donné par : { $by }, enregistré le { $at }
cases-consent-none = Aucun consentement enregistré pour l'instant.
cases-consent-form-title = Enregistrer le consentement
cases-consent-legend = La personne défenseure consent à
cases-consent-share-label = Le partage du dossier avec les pays partenaires
cases-consent-trial-label = L'observation du procès par des diplomates
cases-consent-public-label = Le plaidoyer public
cases-field-given-by = Donné par
cases-choose-giver = Choisissez qui l'a donné
cases-consent-submit = Enregistrer le consentement
cases-consent-hint = Retirer le consentement au partage suspend immédiatement tous les partages ; retirer l'un ou l'autre consentement retire aux partenaires les audiences et les places sur les listes d'observation.
cases-choose-giver-error = Choisissez qui a donné le consentement
cases-consent-field = Consentement

## Partage

cases-shares-heading = Partagé avec
cases-shares-nobody = Personne : seul votre pays voit ce dossier.
cases-shares-caption = Pays et coalitions qui voient ce dossier
cases-col-with = Avec
cases-col-level = Niveau
cases-col-action = Action
cases-stop-sharing-with = Ne plus partager avec { $target }
cases-members-still-see = Ses membres voient toujours le dossier
cases-share-title = Partager le dossier
cases-field-share-with = Partager avec
cases-choose-share-target = Choisissez un pays ou une coalition
cases-countries-on-accord = Pays présents sur Accord
cases-coalitions = Coalitions
cases-field-level = Niveau
cases-share-submit = Partager
cases-share-hint = Le partage exige le consentement de la personne défenseure au partage avec les partenaires. Partager à nouveau avec le même pays modifie son niveau.
cases-sharing = Partage

## Programmer et modifier une audience

cases-hearing-new-title = Programmer une audience
cases-hearing-for-case = Pour le dossier { $reference }
cases-hearing-consent-missing = La personne défenseure n'a pas consenti à l'observation du procès : aucune audience ne peut être programmée tant que ce consentement n'est pas enregistré sur la page du dossier.
cases-hearing-new-submit = Programmer l'audience
cases-hearing-edit-title = Modifier une audience
cases-hearing-edit-heading = Modifier l'audience
cases-hearing-now = Actuellement
cases-hearing-of-case = Dossier { $reference }
cases-open-hearing = Ouvrir l'audience
cases-field-hearing-status-hint = (reporter, annuler ou marquer comme tenue ; une audience reportée qui reçoit une nouvelle date est de nouveau programmée)
cases-hearing-edit-submit = Enregistrer les modifications
cases-hearing-edit-hint = Toutes les personnes inscrites sur la liste d'observation sont informées d'un nouvel horaire, d'un report ou d'une annulation.
cases-this-hearing = Cette audience
cases-field-court = Tribunal
cases-field-city = Ville
cases-start-legend = Début, à l'heure locale du tribunal
cases-field-date = Date
cases-field-date-hint = (AAAA-MM-JJ)
cases-field-time = Heure
cases-field-time-hint = (HH:MM, sur 24 heures)
cases-field-deadline-time-hint = (HH:MM)
cases-field-timezone = Fuseau horaire du tribunal
cases-choose-timezone = Choisissez le fuseau horaire
cases-field-utc-offset = Décalage UTC
cases-field-utc-offset-hint = (uniquement lorsque les horloges reculent et que cette heure locale existe deux fois, par exemple +01:00)
cases-field-duration = Durée en minutes
cases-field-duration-short = Durée
cases-field-observers = Observateur·rices nécessaires
cases-field-observers-hint = (de 0 à 50 ; le réduire renvoie les dernières places confirmées sur la liste d'attente)
cases-field-claims-close = Clôture des inscriptions
cases-field-claims-close-hint = (facultatif, heure locale du tribunal ; sinon au début de l'audience)
cases-whole-number = Saisissez un nombre entier
cases-choose-hearing-status = Choisissez un statut
cases-deadline-invalid = Saisissez une date (AAAA-MM-JJ) et une heure (HH:MM) qui existent dans le fuseau horaire du tribunal

## Lacunes de couverture

cases-coverage-title = Lacunes de couverture
cases-coverage-intro = Les audiences programmées qui ont encore besoin d'observateur·rices, par pays hôte.
cases-coverage-within = Dans les prochains
cases-coverage-within-field = Période
cases-coverage-show = Afficher
cases-coverage-all-covered = { $count ->
    [one] Chaque audience programmée dans le prochain jour a ses observateur·rices.
   *[other] Chaque audience programmée dans les { $count } prochains jours a ses observateur·rices.
}
cases-coverage-caption = { $uncovered ->
    [one] { $uncovered } sans aucun·e observateur·rice
   *[other] { $uncovered } sans aucun·e observateur·rice
}, { $partial ->
    [one] { $partial } partiellement couverte
   *[other] { $partial } partiellement couvertes
}
cases-col-case = Dossier
cases-col-coverage = Couverture
cases-coverage-none-yet = Aucun·e observateur·rice pour l'instant
cases-coverage-partly = Partiellement couverte

# Déclarations conjointes et démarches : la liste, une nouvelle déclaration,
# une déclaration, sa révision et la différence entre deux versions.

## Confirmations après une modification.

statements-done-created = La déclaration a été créée.
statements-done-revised = Votre nouvelle version a été enregistrée.
statements-done-invited = L'invitation a été envoyée.
statements-done-uninvited = Le pays a été retiré de la déclaration.
statements-done-approved = L'approbation de votre pays a été enregistrée.
statements-done-declined = Le refus de votre pays a été enregistré.
statements-done-withdrawn = L'approbation de votre pays a été retirée.
statements-done-finalized = La déclaration est définitive.
statements-done-delivered = La remise a été enregistrée.

## Nature du texte.

statements-kind-demarche = Démarche
statements-kind-public-statement = Déclaration publique
statements-kind-press-release = Communiqué de presse
statements-kind-letter = Lettre

## État d'une déclaration.

statements-status-draft = Projet (aucun pays encore invité)
statements-status-circulating = En circulation pour signature
statements-status-final = Définitive
statements-status-delivered = Remise

## Rôle d'un pays dans une déclaration.

statements-role-lead = Chef de file
statements-role-co-penholder = Co-rédacteur
statements-role-invited = Invité

## Mode de remise d'une déclaration définitive au pays hôte.

statements-channel-meeting = Entretien
statements-channel-note-verbale = Note verbale
statements-channel-letter = Lettre
statements-channel-publication = Publication
statements-channel-press-conference = Conférence de presse
statements-channel-other = Autre

statements-unknown = Inconnu

## Réponse d'un pays au texte.

statements-answer-approved = Version { $version } approuvée
statements-answer-stale = Version { $version } approuvée, un texte antérieur : ce n'est pas une approbation du texte actuel
statements-answer-declined = Refus
statements-answer-none = Pas encore de réponse
statements-answer-with-reason = { $answer } : { $reason }
statements-answer-now = Actuellement : { $answer }.

## Champs des formulaires (et libellés des erreurs affichées à côté).

statements-field-status = État
statements-field-kind = Nature
statements-field-host = Destinataire
    .hint = (le pays hôte)
statements-field-title = Titre
statements-field-body = Texte
    .hint = (version 1 ; les paragraphes et les retours à la ligne sont conservés ; { $max } caractères au plus)
statements-field-invited = Pays invités à signer
    .hint = (facultatif ; vous pourrez en inviter d'autres plus tard)
statements-field-cases = Dossiers concernés
    .hint = (facultatif)
statements-field-deadline = Date limite de signature
    .hint = (facultatif ; date et heure en UTC)
statements-field-new-text = Nouveau texte
    .hint = ({ $max } caractères au plus)
statements-field-countries-to-invite = Pays à inviter
statements-field-their-part = Leur rôle
statements-field-participants = Participants
statements-field-answer = Réponse de votre pays
statements-field-reason = Motif du refus
    .hint = (facultatif ; les autres pays le voient)
statements-field-finalize = Arrêter le texte
statements-field-delivered-at = Remise le (UTC)
statements-field-channel = Mode de remise
statements-field-from = De la version
statements-field-to = À la version

## Erreurs dans un formulaire.

statements-error-datetime = doit être une date et une heure (UTC)
statements-error-channel = indiquez le mode de remise
statements-error-choose-kind = indiquez la nature du texte
statements-error-case = n'est pas un dossier
statements-error-status = n'est pas un état
statements-error-kind = n'est pas une nature de texte
statements-error-version-number = doit être un numéro de version
statements-error-no-version = cette version n'existe pas

## La liste.

statements-title = Déclarations
statements-intro = Les déclarations conjointes et démarches que votre pays conduit ou qu'il est invité à signer.
statements-start-new = Préparer une nouvelle déclaration
statements-filter = Filtrer les déclarations
statements-any-status = Tous les états
statements-any-kind = Toutes les natures
statements-any-country = Tous les pays
statements-show = Afficher
statements-table-region = Déclarations, zone défilante
statements-total = { $total ->
    [one] { $total } déclaration au total
   *[other] { $total } déclarations au total
}
statements-total-paged = { $total ->
    [one] { $total } déclaration au total, { $shown } sur cette page
   *[other] { $total } déclarations au total, { $shown } sur cette page
}
statements-col-title = Titre
statements-col-kind = Nature
statements-col-status = État
statements-col-host = Destinataire
statements-col-lead = Chef de file
statements-col-your-country = Votre pays
statements-col-deadline = Date limite
statements-none-match = Aucune déclaration ne correspond.
statements-pages = Pages de déclarations
statements-first-page = Première page
statements-next-page = Page suivante
statements-no-deadline = Aucune

## Une nouvelle déclaration.

statements-new-title = Nouvelle déclaration
statements-new-intro = Votre pays en est le chef de file. Les pays que vous invitez sont prévenus par courriel, sans le texte.
statements-new-kind-hint = Une déclaration publique ou un communiqué de presse concernant un dossier requiert le consentement de la personne défenseure au plaidoyer public.
statements-choose-country = Choisissez un pays
statements-no-other-mission = Aucun autre pays n'a encore de mission sur Accord.
statements-create = Créer la déclaration

## Une déclaration.

statements-fact-lead = Chef de file
statements-fact-my-part = Rôle de votre pays
statements-fact-started = Ouverte le
statements-fact-finalized = Arrêtée le
statements-fact-delivered = Remise le
statements-fact-signatories = Signataires
statements-delivered-how = { $when }, { $channel }
statements-current-heading = Version { $version }, le texte actuel
statements-written-by = Rédigée par { $author }.
statements-revise-link = Réviser le texte
statements-revise-saved-as = (enregistré comme version { $version })
statements-approve = Approuver la version { $version }
statements-approve-hint = Vous approuvez exactement le texte affiché ci-dessus. S'il change avant que vous n'appuyiez, rien n'est approuvé et cette page vous le signale.
statements-decline = Refuser
statements-withdraw = Retirer l'approbation
statements-participants-heading = Pays participants
statements-participants-region = Pays participants, zone défilante
statements-participants-caption = Le rôle de chaque pays et sa réponse
statements-col-country = Pays
statements-col-part = Rôle
statements-col-answer = Réponse
statements-col-action = Action
statements-remove = Retirer
statements-invite-heading = Inviter des pays
statements-all-take-part = Tous les pays ayant une mission sur Accord participent déjà.
statements-part-invited = Invité à signer
statements-part-co-penholder = Co-rédacteur (peut aussi réviser le texte)
statements-invite = Inviter
statements-finalize-explain = Fige la version { $version } ; ses signataires sont les pays qui ont approuvé exactement cette version. Possible dès que tous les pays y ont répondu, ou après la date limite.
statements-finalize = Arrêter la version { $version }
statements-deliver-heading = Enregistrer la remise
statements-deliver-on = Remise le
    .hint = (date et heure en UTC)
statements-deliver = Enregistrer la remise
statements-export-heading = Export
statements-export = Télécharger le texte définitif (Markdown)
statements-export-hint = Le texte définitif et ses signataires, pour la note verbale ou le communiqué de presse. Chaque export est consigné dans le journal d'audit.
statements-versions-heading = Versions
statements-versions-region = Versions, zone défilante
statements-versions-caption = Toutes les versions, de la plus ancienne à la plus récente
statements-col-version = Version
statements-col-written-by = Rédigée par
statements-col-saved = Enregistrée le
statements-col-changes = Modifications
statements-changes-link = Modifications de la version { $from } à la version { $to }
statements-first-version = Première version
statements-compare-link = Comparer deux versions
statements-all-link = Toutes les déclarations
statements-back = Retour à la déclaration

## Révision.

statements-revise-page-title = Réviser : { $title }
statements-revise-heading = Réviser « { $title } »
statements-revise-intro = Le texte actuel est la version { $current }. Votre texte sera enregistré comme version { $next } ; les approbations d'un texte antérieur cessent alors de compter.
statements-revise-kept = Rédigée par { $author }. Votre texte ci-dessous est conservé tel que vous l'avez saisi ; l'enregistrer remplace celui-ci.
statements-revise-save = Enregistrer comme version { $version }

## Différence entre deux versions.

statements-diff-page-title = Modifications : { $title }
statements-diff-heading = Modifications de « { $title } »
statements-diff-choose = Choisissez les versions à comparer
statements-diff-compare = Comparer
statements-diff-range = De la version { $from } à la version { $to }
statements-diff-same = Les deux versions ont le même texte.
statements-diff-counts = { $removed ->
    [one] { $removed } ligne supprimée
   *[other] { $removed } lignes supprimées
}, { $added ->
    [one] { $added } ligne ajoutée
   *[other] { $added } lignes ajoutées
}.
statements-diff-legend = Les lignes supprimées sont barrées et marquées −, les lignes ajoutées sont marquées +.
statements-diff-hunk = À partir de la ligne { $line } de la version { $version }
statements-diff-removed = supprimé :
statements-diff-added = ajouté :

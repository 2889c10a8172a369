# Signalements d'attaque : le formulaire que remplit un·e agent·e de liaison
# (ou une mission, pour une source), la liste, un signalement, et le
# traitement par un pays destinataire. Lu sur téléphone : rester simple.

## Confirmations après une modification

reports-done-filed = Votre signalement a été enregistré et envoyé aux pays choisis.
reports-done-acknowledged = Vous avez accusé réception du signalement.
reports-done-linked = Le signalement est rattaché au dossier.
reports-done-closed = Le traitement du signalement est clos.

## Ce qui a été fait (un par type d'attaque)

reports-attack-killing = Meurtre ou tentative de meurtre
reports-attack-physical-attack = Agression physique
reports-attack-threat = Menace ou intimidation
reports-attack-judicial-harassment = Harcèlement judiciaire
reports-attack-arbitrary-detention = Détention arbitraire
reports-attack-enforced-disappearance = Disparition forcée
reports-attack-surveillance = Surveillance
reports-attack-smear-campaign = Campagne de dénigrement
reports-attack-raid = Perquisition ou effraction
reports-attack-travel-ban = Interdiction de voyager
reports-attack-digital-attack = Attaque numérique
reports-attack-sexual-violence = Violence sexuelle
reports-attack-other = Autre (précisez dans la description)

## Qui en est responsable (un par type d'auteur)

reports-perpetrator-state = Agents de l'État (police, armée, justice…)
reports-perpetrator-non-state-armed = Groupe armé non étatique
reports-perpetrator-corporation = Entreprise
reports-perpetrator-private-security = Sécurité privée
reports-perpetrator-organized-crime = Crime organisé
reports-perpetrator-private-individual = Particulier
reports-perpetrator-unknown = Inconnu
reports-perpetrator-other = Autre (précisez dans la description)

## Où en est la réponse d'un pays destinataire

reports-state-received = Reçu, réception pas encore accusée
reports-state-acknowledged = Réception accusée
reports-state-linked = Rattaché à un dossier
reports-state-no-action = Clos : aucune suite
reports-state-escalated = Clos : transmis à un niveau supérieur
reports-state-unknown = Inconnu

## Le formulaire de signalement

reports-new-title = Signaler une attaque
reports-new-intro = Ce que vous écrivez ici est envoyé uniquement aux ambassades des pays que vous choisissez. N'écrivez pas l'adresse exacte de la personne défenseure ni de coordonnées GPS.
reports-new-where-when = Où et quand
reports-field-host-country = Pays où cela s'est passé
reports-choose-country = Choisissez un pays
reports-field-region = Région
reports-field-region-hint = (facultatif : une province ou un département, jamais une adresse ni des coordonnées)
reports-field-incident-date = Date de l'incident
# La date s'écrit année-mois-jour.
reports-field-incident-date-hint = (année-mois-jour, par exemple 2026-11-20)
reports-field-incident-time = Heure locale
reports-field-incident-time-hint = (facultatif, par exemple 21:40 ; indiquez aussi le fuseau horaire)
reports-field-timezone = Fuseau horaire du lieu
reports-optional = (facultatif)
reports-timezone-none = Non indiqué
reports-zone-region = { $region ->
    [Africa] Afrique
    [America] Amérique
    [Antarctica] Antarctique
    [Arctic] Arctique
    [Asia] Asie
    [Atlantic] Atlantique
    [Australia] Australie
    [Europe] Europe
    [Indian] Océan Indien
    [Pacific] Pacifique
   *[other] { $region }
}
reports-new-what-happened = Ce qui s'est passé
reports-field-attack-types = Ce qui a été fait
reports-choose-all = (cochez tout ce qui s'applique)
reports-field-perpetrator-types = Qui en est responsable
reports-field-description = Ce qui s'est passé
reports-field-description-hint = ({ $max } caractères au maximum)
reports-field-priors = Signalements antérieurs sur la même personne défenseure
reports-new-who-receives = Qui le reçoit
reports-field-recipients = Envoyer à
reports-field-recipients-hint = (pays ayant une ambassade sur Accord)
reports-own-country-receives = Le pays { $country } reçoit toujours les signalements que vous faites pour le compte d'une source.
reports-field-consent = Consentement
# Doit dire exactement : la personne attaquée accepte que ce signalement
# soit partagé avec les pays choisis ci-dessus.
reports-consent-box = La victime accepte que ce signalement soit partagé avec ces pays
reports-send = Envoyer le signalement
reports-send-once = Si vous appuyez deux fois, un seul signalement est enregistré.
reports-prior-choice = { $reference } · { $date } · { $country }
reports-field-form = Ce formulaire

## Ce que le formulaire signale comme manquant ou incorrect

reports-error-choose-country = Choisissez le pays
reports-error-enter-date = Indiquez la date, par exemple 2026-11-20
reports-error-choose-attack = Cochez au moins un type d'attaque
reports-error-choose-perpetrator = Cochez au moins une case (« Inconnu » si vous ne savez pas)
reports-error-describe = Décrivez ce qui s'est passé
reports-error-choose-recipient = Cochez au moins un pays
reports-error-consent-missing = Le consentement de la victime est obligatoire : sans lui, rien n'est enregistré
reports-error-consent-required = le consentement de la victime au partage de ce signalement avec les pays choisis est obligatoire
reports-error-prior-unknown = l'un d'eux n'existe pas, ou n'est pas partagé avec vous
reports-error-region-coordinates = doit être une zone large (une province ou un département), jamais des coordonnées ni un lien de carte
reports-error-date-format = doit être une date comme 2026-11-20 (année-mois-jour)
reports-error-date-too-early = ne doit pas être antérieure au { $earliest }
reports-error-future = ne doit pas être dans le futur
reports-error-time-format = doit être une heure comme 21:40
reports-error-time-needs-zone = est obligatoire avec une heure : choisissez le fuseau horaire du lieu (par exemple Asia/Manila)
reports-error-time-skipped = n'existe pas ce jour-là dans le fuseau { $zone } (les horloges sautent cette heure lors du changement d'heure)
reports-error-too-long = doit compter au plus { $max } caractères
reports-error-recipients-too-many = doit nommer au plus { $max } pays
reports-error-priors-too-many = doit nommer au plus { $max } signalements
reports-error-country-code = doit être un code pays de deux lettres, par exemple PH
reports-error-filter-date = doit être une date comme 2026-11-20 (année-mois-jour)

## La liste des signalements

reports-list-mine = Mes signalements
reports-list-sent-to = Signalements d'attaque envoyés au pays : { $country }
reports-list-all = Signalements d'attaque
reports-filter = Filtrer les signalements
reports-filter-any-response = Toute réponse
reports-filter-your-response = Réponse de votre pays
reports-filter-any-state = Tout état
reports-filter-kind = Type d'attaque
reports-filter-any-kind = Tout type
reports-filter-country-code = Code pays
reports-filter-country-code-hint = (par exemple PH)
reports-filter-from = À partir du
reports-filter-to = Jusqu'au
reports-filter-from-label = Incident à partir du
reports-filter-to-label = Incident jusqu'au
reports-filter-page = Page
reports-filter-button = Filtrer
reports-count = { $count ->
    [one] { $count } signalement.
   *[other] { $count } signalements.
}
reports-caption-mine = Les signalements de votre organisation et ce que chaque pays en a fait, du plus récent au plus ancien
reports-caption-country = Signalements envoyés à votre pays, du plus récent au plus ancien
reports-col-report = Signalement
reports-col-incident = Incident
reports-col-where = Lieu
reports-col-what = Ce qui a été fait
reports-col-responses = Réponses
reports-col-your-response = Réponse de votre pays
reports-country-state = { $country } : { $state }
reports-pages = Pages
reports-first-page = Première page
reports-next-page = Page suivante

## Un signalement

reports-report-title = Signalement { $reference }
reports-where = Lieu
reports-when = Date
reports-filed = Envoyé
reports-place = { $country }, { $region }
reports-filed-by = { $when }, par { $organization }
reports-erased = La description a été effacée, comme l'exigent les règles de conservation.
reports-erased-on = La description a été effacée le { $date }, comme l'exigent les règles de conservation.
reports-linked-cases = Dossiers rattachés
reports-case-link = Dossier { $reference }
reports-responses = Réponses
reports-responses-caption = Ce que chaque pays a fait de ce signalement
reports-col-country = Pays
reports-col-state = État
reports-col-note = Note
reports-col-updated = Mis à jour
reports-all = Tous les signalements

## Le traitement par un pays destinataire

reports-triage-for = Traitement pour le pays : { $country }
reports-triage-state = Réponse de votre pays : { $state }.
reports-acknowledge = Accuser réception
reports-note-for-reporter = Note pour l'auteur·e du signalement
reports-note-ack-hint = (facultatif ; l'organisation qui l'a envoyé la lit)
reports-link-title = Rattacher à un dossier
reports-field-case = Dossier
reports-field-case-hint = (l'adresse ou l'identifiant du dossier, comme dans /cases/…)
reports-link-button = Rattacher au dossier
reports-close-title = Clore sans dossier
reports-field-outcome = Issue
reports-outcome-no-action = Aucune suite
reports-outcome-escalated = Transmis à un niveau supérieur
reports-field-close = Clore
reports-close-button = Clore le traitement
reports-error-choose-outcome = Choisissez comment le traitement se termine
reports-error-not-case-id = n'est pas un identifiant de dossier (copiez-le depuis l'adresse du dossier, /cases/…)
reports-error-no-such-case = ce dossier n'existe pas, ou il n'est pas partagé avec votre mission
reports-error-case-hidden = votre mission ne voit pas ce dossier en détail : elle ne peut donc pas y rattacher le signalement

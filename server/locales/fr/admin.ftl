# Les pages de l'administration d'un pays : les utilisateurs de la mission, les coalitions, le journal d'audit.

## Communs aux trois pages

admin-pager = Pages
admin-pager-first = Première page
admin-pager-next = Page suivante
# Un rôle qui n'est plus connu.
admin-role-unknown = Inconnu

## Confirmations après une modification

admin-done-user-created = Le compte a été créé. La personne peut se connecter dès maintenant.
admin-done-user-deactivated = Le compte est désactivé : ses sessions ont pris fin et la personne ne peut plus se connecter.
admin-done-user-reactivated = Le compte est de nouveau actif : la personne peut se connecter.
admin-done-coalition-created = La coalition a été créée.
admin-done-member-added = Le pays a été ajouté à la coalition.
admin-done-member-removed = Le pays a été retiré de la coalition. Il perd l'accès immédiatement.

## Utilisateurs

admin-users-title = Utilisateurs
# Le titre : $country est le pays de l'administrateur·rice (« Canada »).
admin-users-heading = Comptes des missions ({ $country })
admin-users-count = { $count ->
    [one] { $count } compte
   *[other] { $count } comptes
}. Désactiver un compte met fin immédiatement à ses sessions.
admin-users-caption = Comptes, du plus ancien au plus récent
admin-users-col-name = Nom
admin-users-col-email = Adresse e-mail
admin-users-col-role = Rôle
admin-users-col-mission = Mission
admin-users-col-status = Statut
admin-users-col-action = Action
# La ligne de la personne connectée.
admin-users-you = { $name } (vous)
admin-users-role-assessor = { $role }, évaluation de l'équité des procès
admin-users-active = Actif
admin-users-deactivated = Désactivé
# Boutons : les lecteurs d'écran entendent le nom de la personne après le texte du bouton.
admin-users-deactivate = Désactiver
admin-users-reactivate = Réactiver
admin-users-appoint = Charger de l'évaluation
admin-users-dismiss = Retirer l'évaluation
admin-users-new = Ajouter une personne
admin-users-field-name = Nom
admin-users-field-email = Adresse e-mail
admin-users-field-password = Mot de passe initial
admin-users-password-hint = (au moins { $count } caractères ; remettez-le en main propre)
admin-users-field-role = Rôle
admin-users-field-mission = Mission
admin-users-mission-hint = (diplomates, coordination et administration)
admin-users-choose-mission = Choisissez une mission
admin-users-field-organization = Organisation
admin-users-organization-hint = (agent·es de liaison uniquement)
admin-users-choose-organization = Choisissez une organisation
admin-users-submit = Ajouter la personne

## Coalitions

admin-coalitions-title = Coalitions
admin-coalitions-count = { $count ->
    [one] { $count } coalition que votre pays réunit ou dont il est membre
   *[other] { $count } coalitions que votre pays réunit ou dont il est membre
}. Un dossier partagé avec une coalition parvient à ses membres ; un pays retiré perd l'accès immédiatement.
# $host et $convener sont des pays.
admin-coalitions-where = Pays d'accueil : { $host } ; réunie par : { $convener }.
admin-coalitions-members-caption = Membres de { $coalition }
admin-coalitions-col-country = Pays
admin-coalitions-col-action = Action
# Le pays qui réunit la coalition, dans la liste de ses membres.
admin-coalitions-convener = { $country } (pays organisateur)
# Le bouton affiche « Retirer » ; `.hidden` le suit pour les lecteurs d'écran.
admin-coalitions-remove = Retirer
    .hidden = { $country } de { $coalition }
admin-coalitions-add-label = Pays à ajouter à { $coalition }
# Le bouton affiche « Ajouter » ; `.hidden` le suit pour les lecteurs d'écran.
admin-coalitions-add = Ajouter
    .hidden = le pays à { $coalition }
admin-coalitions-new = Réunir une nouvelle coalition
admin-coalitions-field-name = Nom
admin-coalitions-field-host = Pays d'accueil
admin-coalitions-choose-country = Choisissez un pays
admin-coalitions-field-members = Membres
admin-coalitions-members-hint = (votre pays en fait toujours partie)
admin-coalitions-submit = Créer la coalition
# Le libellé d'un refus qui concerne tout le formulaire de nouvelle coalition.
admin-coalitions-new-form = Nouvelle coalition
admin-coalitions-field-add = Pays à ajouter

## Journal d'audit

admin-audit-title = Journal d'audit
admin-audit-filter = Filtrer le journal d'audit
admin-audit-field-action = Action
admin-audit-every-action = Toutes les actions
admin-audit-filter-submit = Filtrer
admin-audit-count = { $count ->
    [one] { $count } événement
   *[other] { $count } événements
}.
admin-audit-caption = Événements concernant les objets de votre pays ou effectués par des personnes de votre pays, du plus récent au plus ancien
admin-audit-col-when = Date
admin-audit-col-action = Action
admin-audit-col-by = Par
admin-audit-col-object = Objet
admin-audit-col-country = Pays
admin-audit-col-detail = Détail
# Qui a agi, quand aucune personne ne l'a fait.
admin-audit-by-accord = Accord lui-même
admin-audit-by-user-of = une personne ({ $country })
admin-audit-by-other-country = une personne d'un autre pays

## Les actions enregistrées, telles que le journal d'audit les nomme (le code est affiché à côté).

admin-action-login-succeeded = Connexion réussie
admin-action-login-failed = Échec de connexion
admin-action-login-locked = Connexion bloquée
admin-action-token-refreshed = Jeton renouvelé
admin-action-refresh-token-reused = Jeton de renouvellement réutilisé
admin-action-logged-out = Déconnexion
admin-action-logged-out-everywhere = Déconnexion de tous les appareils
admin-action-password-changed = Mot de passe modifié
admin-action-operator-bootstrapped = Opérateur·rice initialisé·e
admin-action-mission-created = Mission créée
admin-action-user-created = Compte créé
admin-action-user-deactivated = Compte désactivé
admin-action-user-reactivated = Compte réactivé
admin-action-organization-created = Organisation créée
admin-action-coalition-created = Coalition créée
admin-action-coalition-member-added = Membre ajouté à la coalition
admin-action-coalition-member-removed = Membre retiré de la coalition
admin-action-case-created = Dossier créé
admin-action-case-updated = Dossier modifié
admin-action-consent-recorded = Consentement enregistré
admin-action-case-shared = Dossier partagé
admin-action-case-unshared = Partage du dossier retiré
admin-action-identity-read = Identité consultée
admin-action-identity-keys-rotated = Clés d'identité renouvelées
admin-action-hearing-scheduled = Audience programmée
admin-action-hearing-updated = Audience modifiée
admin-action-roster-claimed = Place prise sur la liste d'observation
admin-action-roster-released = Place libérée sur la liste d'observation
admin-action-roster-claim-suspended = Place sur la liste d'observation suspendue
admin-action-observation-submitted = Observation soumise
admin-action-observation-amended = Observation modifiée
admin-action-calendar-token-issued = Lien d'agenda émis
admin-action-calendar-token-revoked = Lien d'agenda révoqué
admin-action-attack-report-submitted = Signalement d'attaque envoyé
admin-action-attack-report-acknowledged = Signalement d'attaque pris en compte
admin-action-attack-report-linked = Signalement d'attaque rattaché à un dossier
admin-action-attack-report-closed = Signalement d'attaque clos
admin-action-attack-report-description-erased = Description du signalement d'attaque effacée
admin-action-statement-created = Déclaration créée
admin-action-statement-revised = Déclaration révisée
admin-action-statement-invited = Pays invité à signer la déclaration
admin-action-statement-uninvited = Invitation à signer la déclaration retirée
admin-action-statement-approved = Déclaration approuvée
admin-action-statement-declined = Déclaration refusée
admin-action-statement-approval-withdrawn = Approbation de la déclaration retirée
admin-action-statement-finalized = Déclaration finalisée
admin-action-statement-delivered = Déclaration remise
admin-action-statement-exported = Déclaration exportée
admin-action-statement-deadline-reminded = Rappel de l'échéance de la déclaration
admin-action-identity-key-created = Clé d'identité créée
admin-action-identity-key-rotated = Clé d'identité renouvelée
admin-action-identity-key-recovered = Clé d'identité récupérée
admin-action-identity-key-destroyed = Clé d'identité détruite
admin-action-identities-resealed = Identités scellées à nouveau
admin-action-identity-access-granted = Accès à la clé d'identité accordé
admin-action-identity-access-revoked = Accès à la clé d'identité révoqué
admin-action-identity-reveal-requested = Révélation d'identité demandée
admin-action-identity-reveal-approved = Révélation d'identité approuvée
admin-action-identity-reveal-denied = Révélation d'identité refusée
admin-action-identity-reveal-revoked = Révélation d'identité révoquée
admin-action-coverage-digest-set = Résumé des audiences sans observateurs configuré
admin-action-assessor-appointed = Personne chargée de l'évaluation nommée
admin-action-assessor-dismissed = Personne chargée de l'évaluation démise
admin-action-fairness-assessment-written = Évaluation de l'équité rédigée
admin-action-fairness-assessment-shared = Évaluation de l'équité partagée
admin-action-fairness-assessment-unshared = Partage de l'évaluation de l'équité retiré
admin-action-fairness-assessment-exported = Évaluation de l'équité exportée
admin-action-claim-offered = Place proposée
admin-action-claim-offer-accepted = Proposition de place acceptée
admin-action-claim-offer-declined = Proposition de place déclinée
admin-action-claim-offer-withdrawn = Proposition de place retirée
admin-action-claim-offer-expired = Proposition de place expirée
admin-action-claim-offer-cancelled = Proposition de place annulée
admin-action-preferences-set = Langue ou fuseau horaire choisi
admin-action-sso-configured = Authentification unique configurée
admin-action-sso-removed = Authentification unique supprimée
admin-action-sso-sign-in-succeeded = Connexion par authentification unique
admin-action-sso-sign-in-failed = Authentification unique refusée
admin-action-sso-subject-set = Identifiant d'authentification unique enregistré
admin-action-totp-enrolled = Application d’authentification activée
admin-action-totp-removed = Application d’authentification désactivée
admin-action-recovery-codes-regenerated = Codes de secours remplacés
admin-action-second-factor-passed = Seconde étape de connexion réussie
admin-action-second-factor-failed = Seconde étape de connexion échouée
admin-action-second-factor-locked = Seconde étape de connexion bloquée après trop d’échecs
admin-action-recovery-code-used = Code de secours utilisé pour se connecter
admin-action-mission-second-factor-set = Exigence de connexion en deux étapes modifiée pour la mission
admin-action-password-reset-requested = Lien de réinitialisation du mot de passe demandé
admin-action-password-reset-completed = Mot de passe réinitialisé au moyen d'un lien
admin-action-password-reset-forced = Réinitialisation du mot de passe imposée
admin-action-email-change-requested = Changement d'adresse électronique demandé
admin-action-email-changed = Adresse électronique modifiée
admin-action-security-key-added = Clé de sécurité ajoutée
admin-action-security-key-removed = Clé de sécurité retirée
admin-action-security-key-clone-suspected = Clé de sécurité refusée : peut-être copiée

# Refus : pourquoi le service a dit non, et les pages qui le disent.

# Why an input was refused. The API says "<field>: <reason>"; a page shows the reason beside the field. Reasons start in lower case and follow the field's name.
sso-issuer-not-allowed = doit être une adresse https sans requête ni fragment (http simple seulement vers cette machine, en développement)
sso-issuer-unreachable = ne répond pas par un document de découverte OpenID Connect valide
sso-issuer-mismatch = répond par un document de découverte qui nomme un autre émetteur
sso-issuer-leaves-origin = envoie ses clés ou son point de jeton hors de l'adresse de l'émetteur, ou redirige
input-must-not-be-empty = ne doit pas être vide
input-too-long = doit compter au plus { $max } { $max ->
        [one] caractère
       *[other] caractères
    }
input-too-short = doit compter au moins { $min } { $min ->
        [one] caractère
       *[other] caractères
    }
input-between = doit être compris entre { $min } et { $max }
input-from-to = doit aller de { $min } à { $max }
input-within-days = doit tomber dans les { $max } { $max ->
        [one] jour
       *[other] jours
    } à venir
input-must-not-contain-control-characters = ne doit pas contenir de caractères de contrôle
input-must-not-contain-invisible-or = ne doit pas contenir de caractères invisibles ni de caractères qui inversent le sens du texte (comme U+200B ou U+202E)
input-must-be-an-iana-time = doit être le nom d'un fuseau horaire IANA, par exemple Asia/Manila
input-must-be-an-email-address = doit être une adresse e-mail
input-must-be-an-iso-3166 = doit être un code pays ISO 3166-1 alpha-2 (par exemple CA ou NL) ou EU
input-no-country-has-approved-the = aucun pays n'a approuvé la version actuelle
input-not-all-answered = { $count ->
        [one] { $count } pays participant n'a pas répondu
       *[other] { $count } pays participants n'ont pas répondu
    } à la version actuelle : { $countries } ; finalisez { $when ->
        [ahead] quand tous auront répondu ou après la date limite ({ $deadline })
       *[none] quand tous auront répondu (la déclaration n'a pas de date limite)
    }
input-must-be-a-utc-offset = doit être un décalage UTC, par exemple +02:00
input-must-be-a-local-date = doit être une date et une heure locales sans décalage, par exemple 2026-12-01T09:30:00
input-local-time-skipped = n'existe pas dans le fuseau { $zone } (les horloges sautent cette heure au passage à l'heure d'été)
input-local-time-twice = localStart a lieu deux fois dans le fuseau { $zone } (les horloges reculent) : indiquez utcOffset { $first } ou { $second }
input-offset-not-in-force = n'est pas en vigueur dans le fuseau { $zone } à cette heure locale
input-cannot-be-resolved = ne peut pas être déterminé
input-report-transition = impossible { $step ->
        [acknowledge] d'accuser réception d'un signalement
        [link] de lier un signalement
       *[close] de clore un signalement
    } dont la réponse de votre pays est { $state }{ $state ->
        [RECEIVED] {" "}(accusez-en d'abord réception)
        [ACKNOWLEDGED] {""}
       *[other] {" "}(son tri est clos)
    }
input-must-be-a-date-such = doit être une date, par exemple 2026-11-20
input-not-before = ne doit pas être antérieure au { $date }
input-not-in-the-future = ne doit pas être dans le futur
input-in-the-future = doit être dans le futur
input-is-required-with-incidenttime-the = est obligatoire avec incidentTime (le fuseau IANA du lieu, par exemple Asia/Manila)
input-must-be-a-time-such = doit être une heure, par exemple 21:40
input-time-skipped-on-date = n'existe pas à cette date dans le fuseau { $zone } (les horloges sautent cette heure au passage à l'heure d'été)
input-must-be-access-denied-exactly = doit valoir ACCESS_DENIED exactement quand l'accès à la salle d'audience était DENIED
input-must-be-empty-when-courtroom = doit être vide quand l'accès à la salle d'audience était DENIED
input-only-for-an-adjourned-hearing = seulement pour une audience ajournée (indiquez adjourned)
input-name-at-least-one-standard = indiquez au moins une norme appliquée
input-cite-at-most = citez au plus { $max } { $max ->
        [one] observation
       *[other] observations
    }
input-is-not-an-observation-of = n'est pas une observation de ce procès
input-not-an-id = n'est pas un identifiant { $kind ->
        [User] d'utilisateur·rice
        [Mission] de mission
        [Organization] d'organisation
        [Coalition] de coalition
        [Case] de dossier
        [Hearing] d'audience
        [RosterClaim] d'inscription sur la liste d'observation
        [Observation] d'observation
        [AttackReport] de signalement d'attaque
        [Statement] de déclaration
        [Session] de session
        [IdentityReveal] de demande de révélation
       *[ClaimOffer] d'offre de place sur la liste d'observation
    }
input-is-not-a-valid-cursor = n'est pas un curseur valide
input-answer-too-large = la réponse dépasserait { $max } octets, le maximum qu'une réponse ou un événement WebSocket peut porter (ACCORD_MAX_RESPONSE_BYTES), et n'a pas été envoyée ; demandez moins de champs ou d'alias, ou un `first:` plus petit (les changements d'une mutation ont tout de même été faits)
input-once-credential = un seul login, refreshToken ou changePassword par requête
input-once-diff = un seul diff par requête ; demandez le suivant dans une autre requête
input-once-export = un seul exportMarkdown par requête ; demandez le suivant dans une autre requête
input-must-offer-graphql-transport-ws = doit proposer graphql-transport-ws
input-must-be-application-json = doit être application/json
input-body-is-a-batch = est un lot (un tableau JSON) ; les lots ne sont pas acceptés : envoyez une requête ({"{"}"query": …{"}"}) par POST
input-body-not-one-request = doit être une seule requête GraphQL : un objet JSON comme {"{"}"query": …{"}"}
input-body-not-json = n'est pas du JSON valide ; envoyez une requête GraphQL ({"{"}"query": …{"}"})
input-body-too-large = le corps de la requête dépasse la limite de { $max } octets ({ $kib } Kio)
input-the-request-body-ended-before = le corps de la requête s'est terminé avant la longueur annoncée
input-is-not-a-report = n'est pas un signalement
input-is-not-a-country-on = n'est pas un pays présent sur Accord
input-is-not-shared-with-you = n'est pas partagé avec vous
input-not-one-of-the-choices = ne fait pas partie des choix
input-no-such-coalition = cette coalition n'existe pas
input-choose-a-country-or-a = choisissez un pays ou une coalition
input-choose-how-much-to-share = choisissez ce que vous partagez
input-choose-to-approve-or-to = choisissez d'approuver ou de refuser
input-choose-a-member = choisissez un membre
input-choose-a-role = choisissez un rôle
input-choose-one-from-the-list = choisissez dans la liste
input-must-not-be-before-from = ne doit pas être antérieure à from
input-you-cannot-change-your-own = vous ne pouvez pas changer le statut de votre propre compte
input-only-diplomats-coordinators-and-admins = seuls les diplomates, les coordinateur·rices et les administrateur·rices peuvent évaluer
input-give-exactly-one-of-country = indiquez soit country, soit coalitionId, pas les deux
input-no-such-version = cette version n'existe pas
input-you-hold-no-claim-on = vous n'avez pas de place sur cette audience
input-name-an-attack-type = doit indiquer au moins un type d'attaque
input-name-a-perpetrator-type = doit indiquer au moins un type d'auteur (UNKNOWN s'il n'est pas connu)
input-must-be-a-coarse-area = doit être une zone large (une province ou un district), jamais des coordonnées ni un lien de carte
input-name-a-country = doit indiquer au moins un pays
input-at-most-countries = doit indiquer au plus { $max } { $max ->
        [one] pays
       *[other] pays
    }
input-at-most-reports = doit indiquer au plus { $max } { $max ->
        [one] signalement
       *[other] signalements
    }
input-at-most-cases = doit indiquer au plus { $max } { $max ->
        [one] dossier
       *[other] dossiers
    }
input-is-required-to-link-a = est obligatoire pour lier un signalement
input-name-a-category = doit indiquer au moins une catégorie
input-the-case-already-belongs-to = le dossier appartient déjà à ce pays
input-the-case-is-not-shared = le dossier n'est pas partagé avec lui
input-you-cannot-take-your-own = vous ne pouvez pas accepter votre propre offre
input-offer-your-place-to-someone = offrez votre place à quelqu'un d'autre, ou retirez votre inscription
input-has-no-key-yet-they = n'a pas encore de clé : la personne en recevra une à sa prochaine connexion
input-your-country-s-identities-wait = les identités de votre pays attendent sous une clé de migration : indiquez le code de réclamation remis par l'opérateur·rice
input-there-is-no-migration-key = il n'y a pas de clé de migration à réclamer pour votre pays
input-does-not-open-your-country = n'ouvre pas la clé de votre pays
input-only-diplomats-coordinators-and-admins-may = seuls les diplomates, les coordinateur·rices et les administrateur·rices peuvent détenir la clé
input-does-not-hold-your-country = ne détient pas la clé de votre pays
input-loss-warning = doit valoir true : si tous les membres qui détiennent la clé oublient leur mot de passe et que la clé de récupération est perdue, toutes les identités de votre pays sont perdues pour de bon ; personne, pas même l'opérateur·rice, ne peut les ouvrir
input-must-differ-from-the-current = doit être différent du mot de passe actuel
input-is-not-your-current-password = n'est pas votre mot de passe actuel
input-link-no-longer-valid = ce lien n'est plus valable : demandez-en un nouveau
input-is-already-your-email = est déjà votre adresse électronique
input-must-be-invited-or-co = doit valoir INVITED ou CO_PENHOLDER
input-statement-at-most-invited = une déclaration compte au plus { $max } { $max ->
        [one] pays invité
       *[other] pays invités
    }
input-country-leads-statement = { $country } mène cette déclaration
input-the-lead-country-cannot-be = le pays chef de file ne peut pas être retiré
input-your-country-has-no-approval = votre pays n'a pas d'approbation à retirer
input-must-not-be-before-the = ne doit pas être antérieure à la finalisation de la déclaration
input-must-say-why = doit indiquer pourquoi
input-your-country-owns-this-case = votre pays est propriétaire de ce dossier : ses dépositaires de la clé ouvrent l'identité
input-an-approval-needs-an-expiry = une approbation doit expirer : indiquez expiresAt ou validForDays, pas les deux
input-this-country-already-has-a = ce pays a déjà une mission de ce nom
input-second-factor-not-enrolled = aucune application d'authentification n'est configurée pour ce compte
input-second-factor-code-wrong = ce code est erroné, déjà utilisé ou trop ancien
input-second-factor-recovery-code-wrong = ce code de secours est erroné ou déjà utilisé
input-second-factor-code-or-recovery = indiquez soit un code de l'application d'authentification, soit un code de secours
input-must-be-on-or-off = doit valoir on ou off
input-is-already-in-use = est déjà utilisée
input-no-such-mission = cette mission n'existe pas
input-diplomats-coordinators-and-admins-need = les diplomates, les coordinateur·rices et les administrateur·rices ont besoin d'un missionId et d'aucun organizationId
input-no-such-organization = cette organisation n'existe pas
input-liaisons-need-an-organizationid-and = les agent·es de liaison ont besoin d'un organizationId et d'aucun missionId
input-an-organization-with-that-name = une organisation de ce nom existe déjà dans ce pays hôte
input-your-country-already-convenes-a = votre pays réunit déjà une coalition de ce nom
input-coalition-at-most-countries = au plus { $max } { $max ->
        [one] pays
       *[other] pays
    }
input-is-not-a-member-of = n'est pas membre de cette coalition
input-the-convening-country-cannot-leave = le pays qui réunit la coalition ne peut pas la quitter
input-no-mission-on-accord = { $country } n'a pas de mission sur Accord
input-the-owner-country-always-sees = le pays propriétaire voit toujours son évaluation
input-must-not-be-after-the = ne doit pas être postérieure au début de l'audience
input-the-hearing-has-not-started = l'audience n'a pas encore commencé

# Why a change clashes with the current state (CONFLICT). A page shows it inside errors-conflict.
conflict-conflicts-with-an-existing-record = entre en conflit avec un enregistrement existant
conflict-totp-already-on = une application d'authentification est déjà configurée ; retirez-la d'abord
conflict-totp-no-enrolment = aucune application d'authentification n'attend de confirmation ; recommencez
conflict-totp-not-on = aucune application d'authentification n'est configurée
conflict-second-factor-required = la connexion en deux étapes vous est imposée ; elle ne peut pas être désactivée
conflict-the-statement-is-final-nothing = la déclaration est finale ; plus rien ne la modifie
conflict-the-statement-is-not-final = la déclaration n'est pas encore finale ; seul un texte final est exporté
conflict-statement-versions-full = une déclaration compte au plus { $max } versions et celle-ci est pleine ; commencez une nouvelle déclaration avec ce texte
conflict-submission-key-used = submissionKey a déjà servi pour un autre signalement ; utilisez une nouvelle clé pour un nouveau signalement
conflict-reference-already-taken = référence déjà prise
conflict-the-response-changed-meanwhile-reload = la réponse a changé entre-temps ; rechargez la page et réessayez
conflict-offer-not-open = l'offre n'est plus ouverte (elle est { $state ->
        [ACCEPTED] acceptée
        [DECLINED] refusée
        [WITHDRAWN] retirée
        [EXPIRED] expirée
        [CANCELLED] annulée
       *[OPEN] ouverte
    })
conflict-colleague-offers-waiting = cette personne a déjà { $max } offres en attente de réponse
conflict-your-place-is-already-on = votre place est déjà offerte ; retirez d'abord cette offre
conflict-the-offered-place-is-no = la place offerte n'est plus détenue
conflict-already-hold-claim = vous avez déjà une place sur cette audience
conflict-too-many-claims = vous avez déjà des places sur { $max } audiences ouvertes ; libérez-en d'abord une
conflict-overlapping-claim = vous avez déjà une place sur une audience dont l'horaire chevauche celle-ci
conflict-the-requesting-country-has-no = le pays demandeur n'a plus de clé d'identité
conflict-your-country-already-has-an = votre pays a déjà une clé d'identité
conflict-your-country-already-has-an-identity = votre pays a déjà une clé d'identité ; faites-la plutôt tourner
conflict-the-last-custodian-keeps-the = le ou la dernière dépositaire garde la clé : confiez-la d'abord à un autre membre
conflict-email-address-taken = un autre compte utilise déjà cette adresse électronique
conflict-only-a-final-not-yet = seule une déclaration finale, pas encore remise, peut être marquée comme remise
conflict-this-case-has-had-too = ce dossier a reçu trop de demandes de révélation
conflict-your-country-already-has-an-open = votre pays a déjà une demande ouverte pour ce dossier
conflict-that-country-no-longer-sees = ce pays ne voit plus ce dossier en détail
conflict-this-request-was-already-decided = cette demande a déjà été tranchée
conflict-only-a-running-approval-can = seule une approbation en cours peut être révoquée
conflict-that-country-is-already-a = ce pays est déjà membre
conflict-coalition-full = une coalition compte au plus { $max } membres en plus du pays qui la réunit
conflict-assessment-versions = une évaluation garde au plus { $max } versions
conflict-hearing-status = une audience { $from } ne peut pas devenir { $to }
conflict-you-already-submitted-your-observation = vous avez déjà soumis votre observation de cette audience ; modifiez-la (amendObservation) pour la corriger
conflict-the-hearing-was-cancelled = l'audience a été annulée
conflict-observation-amended-max = cette observation a été modifiée { $max } fois, le maximum autorisé
conflict-hearing-observations-max = l'audience compte { $max } observations, le maximum autorisé

# What the defender's consent does not cover (CONSENT_REQUIRED).
consent-the-defender-has-withdrawn-consent = la personne défenseure a retiré son consentement à l'observation du procès
consent-the-victim-s-consent-to = le consentement de la victime au partage de ce signalement avec les pays choisis est requis
consent-the-defender-has-not-consented = la personne défenseure n'a pas consenti au partage de ce dossier avec des partenaires
consent-a-linked-case-has-no = un dossier lié n'a pas de consentement au plaidoyer public ; une déclaration publique à son sujet ne peut être ni finalisée, ni remise, ni exportée
consent-the-defender-has-not-consented-to = la personne défenseure n'a pas consenti au plaidoyer public
consent-the-defender-has-not-consented-to-trial = la personne défenseure n'a pas consenti à l'observation du procès

# Why no roster place can be had (SLOT_UNAVAILABLE).
slot-the-offer-has-expired = l'offre a expiré
slot-hearing-not-open = l'audience n'est pas ouverte aux inscriptions (reportée, tenue ou annulée)
slot-claim-deadline-passed = la date limite d'inscription est passée

# Why a defender's identity stays sealed for this reader (IDENTITY_LOCKED).
locked-no-country-key = les identités sont verrouillées : votre pays n'a pas encore de clé d'identité ; un·e administrateur·rice de votre pays en crée une
locked-not-a-custodian = les identités sont verrouillées : vous ne détenez pas la clé d'identité de votre pays ; un·e administrateur·rice de votre pays peut vous la confier
locked-session-locked = les identités sont verrouillées dans cette session : reconnectez-vous avec votre mot de passe pour les déverrouiller

# Refusals as pages: the title, the sentence and the way back.
errors-title-sign-in = Veuillez vous connecter
errors-title-forbidden = Non autorisé
errors-title-not-found = Introuvable
errors-title-bad-input = Veuillez vérifier votre saisie
errors-title-conflict = Cela a changé
errors-title-consent = Consentement requis
errors-title-slot = Aucune place disponible
errors-title-identity-locked = Identité verrouillée
errors-title-sso-required = Connectez-vous par votre ministère
errors-sso-required = Votre mission connecte son personnel uniquement par son authentification unique. Veuillez utiliser le lien de connexion que votre administrateur vous a remis.
errors-title-rate-limited = Veuillez patienter
errors-title-unavailable = Réessayez dans un instant
errors-title-internal = Un problème est survenu
errors-sign-in-again = Veuillez vous reconnecter.
errors-forbidden = Votre rôle ne le permet pas.
errors-not-found = Cet élément n'existe pas, ou n'est pas (ou plus) partagé avec vous.
# The field's name (as the API names it) and why it was refused.
errors-bad-input = { $field } : { $reason }
errors-conflict = Cela entre en conflit avec l'état actuel : { $reason }.
errors-stale-version = Ce n'est plus la version actuelle ; la version actuelle est la { $current }. Rien n'a été modifié.
errors-consent-required = Le consentement de la personne défenseure ne couvre pas ceci : { $reason }.
errors-slot-unavailable = Aucune place n'est possible : { $reason }.
# $reason is one of the locked-… sentences, its first letter in upper case.
errors-identity-locked = { $reason }.
errors-second-factor-required = Une seconde étape de connexion est nécessaire. Veuillez vous reconnecter.
errors-rate-limited = Trop de tentatives. Veuillez réessayer dans { $seconds } { $seconds ->
        [one] seconde
       *[other] secondes
    }.
errors-unavailable = Accord ne peut pas joindre sa base de données pour le moment. Rien n'a été modifié. Veuillez réessayer dans { $seconds } { $seconds ->
        [one] seconde
       *[other] secondes
    }.
errors-internal = Un problème est survenu de notre côté. Rien de ce que vous avez saisi n'a été montré à qui que ce soit ; veuillez réessayer.
errors-back-to-start = Retour à la page d'accueil
# The label of a form's error that belongs to no one field.
errors-this-form = Ce formulaire
errors-too-large-title = Trop à envoyer en une fois
errors-too-large = Ce que vous avez envoyé dépasse ce qu'Accord accepte dans un formulaire. Rien n'a été enregistré ; veuillez raccourcir le texte et réessayer.
errors-timeout-title = Cela a pris trop de temps
errors-timeout = Accord a arrêté cette requête parce qu'elle prenait trop de temps. Si vous modifiiez quelque chose, vérifiez si la modification a été enregistrée avant de réessayer.
errors-cross-site-title = Refusé : cette demande venait d'un autre site
errors-cross-site-only-own-pages = Accord n'accepte que les modifications faites depuis ses propres pages. Rien n'a été modifié.
errors-cross-site-open-directly = Si vous avez utilisé un favori ou le bouton d'un autre site, ouvrez Accord directement et réessayez.
errors-open-accord = Ouvrir Accord

# Security keys (WebAuthn).
input-security-keys-unavailable = les clés de sécurité ne peuvent pas être utilisées sur ce serveur : son adresse publique doit être un nom de domaine
input-security-key-not-accepted = la réponse de la clé de sécurité n'a pas été acceptée ; veuillez réessayer
input-security-key-start-again = a pris trop de temps ou a déjà servi ; veuillez recommencer
input-security-key-name-length = doit compter de 1 à { $max } caractères
input-no-security-key = vous n'avez aucune clé de sécurité
conflict-security-key-limit = vous avez déjà { $max } clés de sécurité ; veuillez d'abord en retirer une
conflict-security-key-already-registered = cette clé de sécurité est déjà enregistrée

# La mise en page commune : navigation, en-tête, rôles.

nav-roster = Mes listes
    .about = Vos places sur les listes d'observation des procès et les listes d'attente.
nav-hearings = Audiences
    .about = Les procès à venir auxquels vous pouvez assister, par pays et par date.
nav-cases = Dossiers
    .about = Les défenseurs en danger que votre mission peut consulter.
nav-coverage = Audiences sans observateurs
    .about = Les audiences qui ont encore besoin d'observateurs.
nav-statements = Déclarations
    .about = Déclarations conjointes et démarches.
nav-reports = Signalements d'attaques
    .about = Les signalements transmis à votre pays.
nav-new-report = Signaler une attaque
    .about = Dites aux ambassades ce qui s'est passé.
nav-my-reports = Mes signalements
    .about = Ce que chaque pays a fait de vos signalements.
nav-users = Utilisateurs
    .about = Les personnes de votre mission et leurs accès.
nav-coalitions = Coalitions
    .about = Les pays avec lesquels vos dossiers sont partagés.
nav-audit = Journal d'audit
    .about = Qui a fait quoi, et quand.
nav-identity = Clé d'identité
    .about = La clé d'identité de votre pays et les demandes de révélation d'identité.
nav-account = Compte
    .about = Votre mot de passe et les appareils où vous êtes connecté·e.
nav-place-in-mission = { $role }, mission { $country }
role-diplomat = Diplomate
role-coordinator = Coordinateur·rice
role-liaison = Agent·e de liaison
role-admin = Administrateur·rice
role-operator = Opérateur·rice
layout-skip = Aller au contenu
layout-main-nav = Navigation principale
layout-sign-out = Se déconnecter
form-errors-heading = { $count ->
    [one] Veuillez corriger { $count } problème
   *[other] Veuillez corriger { $count } problèmes
}
country-with-code = { $name } ({ $code })

# Evaluaciones de la equidad de un juicio (calificaciones de la A a la F,
# según TrialWatch), separadas de las observaciones de las audiencias.

## Confirmaciones tras un cambio.

assessments-done-assessor-appointed = La persona ya es evaluadora: puede redactar las evaluaciones de equidad de su país.
assessments-done-assessor-dismissed = La persona ya no es evaluadora; lo que redactó se conserva.
assessments-done-saved = Se ha guardado la nueva versión de la evaluación.
assessments-done-shared = La evaluación se comparte con ese país (mientras tenga acceso al juicio).
assessments-done-unshared = La evaluación ya no se comparte con ese país.

## Lo que significa cada calificación.

assessments-grade-a = Ninguna violación de las normas internacionales sobre juicio justo, o solo violaciones mínimas.
assessments-grade-b = Violaciones de las normas internacionales sobre juicio justo que no afectaron al resultado ni causaron un daño significativo.
assessments-grade-c = Violaciones de las normas internacionales sobre juicio justo que pueden haber afectado al resultado o causado un daño significativo.
assessments-grade-d = Violaciones de las normas internacionales sobre juicio justo que afectaron al resultado o causaron un daño significativo.
assessments-grade-f = Violaciones graves de las normas internacionales sobre juicio justo que afectaron al resultado o causaron un daño significativo.

## Las normas internacionales aplicadas.

assessments-standard-iccpr-14 = PIDCP, artículo 14 (juicio justo)
assessments-standard-iccpr-9 = PIDCP, artículo 9 (libertad y seguridad)
assessments-standard-iccpr-7 = PIDCP, artículo 7 (tortura y malos tratos)
assessments-standard-iccpr-19 = PIDCP, artículo 19 (libertad de expresión)
assessments-standard-udhr-10 = DUDH, artículo 10 (audiencia justa y pública)
assessments-standard-udhr-11 = DUDH, artículo 11 (presunción de inocencia)
assessments-standard-achpr-7 = Carta Africana, artículo 7 (juicio justo)
assessments-standard-achr-8 = Convención Americana, artículo 8 (garantías judiciales)
assessments-standard-echr-6 = Convenio Europeo, artículo 6 (proceso equitativo)
assessments-standard-arab-charter-13 = Carta Árabe, artículo 13 (juicio justo)
assessments-standard-un-lawyers = Principios Básicos de la ONU sobre la Función de los Abogados
assessments-standard-un-judiciary = Principios Básicos de la ONU relativos a la Independencia de la Judicatura
assessments-standard-un-prosecutors = Directrices de la ONU sobre la Función de los Fiscales
assessments-standard-cat = Convención contra la Tortura
assessments-standard-other = Otras normas (citadas en el razonamiento)

## La página de la evaluación.

assessments-title = Evaluación de la equidad, caso { $reference }
assessments-heading = Evaluación de la equidad del juicio, caso { $reference }
assessments-back-to-case = Volver al caso
assessments-about = El juicio calificado de una persona experta sobre todo el proceso conforme a las normas internacionales sobre juicio justo, separado de las observaciones de las audiencias.
assessments-about-owner = La ven las personas coordinadoras, administradoras y evaluadoras de su país; un país socio solo la ve si usted la comparte con él y sigue teniendo acceso al juicio.
assessments-about-partner = Compartida con su país por el país titular del caso.
assessments-current = Calificación { $grade }
assessments-version-hint = (versión { $number })
assessments-standards = Normas aplicadas
assessments-standards-hint = (al menos una)
assessments-cited = Observaciones en las que se basa
assessments-written = Redactada
assessments-written-by = { $date }, { $country }
assessments-reasoning = Razonamiento
assessments-reasoning-hint = (redactado para su publicación: sin nombres de la persona defensora ni de nadie en riesgo)
assessments-publication-link = Texto para publicación
assessments-publication-hint = (solo con el consentimiento de la persona defensora a la incidencia pública; cada exportación queda registrada en el registro de auditoría)
assessments-earlier = Versiones anteriores
assessments-version-grade = Versión { $number }: calificación { $grade }
assessments-none = Todavía no se ha redactado ninguna evaluación.
assessments-shared-with = Compartida con
assessments-shared-none = Ningún país socio.
assessments-country-code = Código del país (por ejemplo NL)
assessments-share = Compartir la evaluación
assessments-unshare = Dejar de compartir
assessments-write-first = Redactar la evaluación
assessments-write-next = Redactar una nueva versión
assessments-grade = Calificación
assessments-no-observations = Todavía no hay ninguna observación de este juicio.
assessments-save = Guardar como versión { $number }
assessments-country = { $name } ({ $code })
assessments-cite = { $court }, { $date }: observación de { $country } ({ $outcome })
assessments-field-grade = Evaluación
assessments-field-cited = Observaciones citadas
assessments-field-country = País
assessments-field-sharing = Uso compartido
assessments-error-choose-grade = elija una calificación
assessments-error-not-observation = no es una observación de este juicio

## El texto para publicación.

assessments-publication-title = Evaluación de la equidad: texto para publicación
assessments-publication-heading = Texto para publicación
assessments-publication-back = Volver a la evaluación
assessments-publication-about = La calificación, su significado, las normas y el razonamiento, sin la referencia del caso, el seudónimo, la persona evaluadora ni las personas observadoras. Reléalo una vez más en busca de cualquier dato que pudiera identificar a alguien antes de publicarlo. Esta exportación quedó registrada en el registro de auditoría.
assessments-publication-grade = Calificación de la equidad del juicio: { $grade }
assessments-publication-standards = Normas aplicadas: { $standards }
assessments-publication-date = Evaluado el { $date }.

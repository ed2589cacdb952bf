"""Messages in Arabic, French and English, chosen by `Accept-Language`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGUAGES = ("ar", "fr", "en")
DEFAULT_LANGUAGE = "fr"

# a reader without a text in their language gets the next one they likely read: Algerians read
# Arabic and French; an English reader more likely French (the same script) than Arabic
_READING_ORDER = {"ar": ("ar", "fr", "en"), "fr": ("fr", "ar", "en"), "en": ("en", "fr", "ar")}


def localized(texts: Mapping[str, str | None], lang: str) -> tuple[str | None, str]:
    """A text written in some of the three languages, for a `lang` reader: in `lang`, else the
    next language they likely read (an unknown `lang` reads as Arabic); with the language used,
    or (None, lang) when there is no text at all."""
    for candidate in _READING_ORDER.get(lang, _READING_ORDER["ar"]):
        text = texts.get(candidate)
        if text:
            return text, candidate
    return None, lang


# code -> {lang: template}. Templates use str.format names given by the raiser.
MESSAGES: dict[str, dict[str, str]] = {
    "bad_request": {
        "en": "The request is malformed.",
        "fr": "La requête est mal formée.",
        "ar": "الطلب غير صالح.",
    },
    "invalid_json": {
        "en": "The request body must be a JSON object.",
        "fr": "Le corps de la requête doit être un objet JSON.",
        "ar": "يجب أن يكون محتوى الطلب كائن JSON.",
    },
    "validation_error": {
        "en": "Some fields are invalid.",
        "fr": "Certains champs sont invalides.",
        "ar": "بعض الحقول غير صالحة.",
    },
    "payload_too_large": {
        "en": "The request is too large (at most {max_kb} KB).",
        "fr": "La requête est trop volumineuse ({max_kb} Ko au plus).",
        "ar": "الطلب كبير جدا ({max_kb} كيلوبايت على الأكثر).",
    },
    "json_too_deep": {
        "en": "The JSON nests too deeply (at most {max} levels).",
        "fr": "Le JSON est trop imbriqué ({max} niveaux au plus).",
        "ar": "بنية JSON متداخلة أكثر من اللازم ({max} مستويات على الأكثر).",
    },
    "invalid_cursor": {
        "en": "The pagination cursor is invalid or expired.",
        "fr": "Le curseur de pagination est invalide ou expiré.",
        "ar": "مؤشر الصفحات غير صالح أو منتهي الصلاحية.",
    },
    "cursor_expired": {
        "en": "This cursor is older than the 30 days the feed keeps: reload everything, then follow from now.",
        "fr": "Ce curseur dépasse les 30 jours que garde le flux : rechargez tout, puis suivez à partir de maintenant.",
        "ar": "هذا المؤشر أقدم من 30 يوما يحتفظ بها السجل: أعد تحميل كل شيء ثم تابع من الآن.",
    },
    "unauthorized": {
        "en": "Authentication is required.",
        "fr": "Authentification requise.",
        "ar": "يجب تسجيل الدخول.",
    },
    "token_expired": {
        "en": "Your session has expired; refresh your token or log in again.",
        "fr": "Votre session a expiré ; renouvelez le jeton ou reconnectez-vous.",
        "ar": "انتهت صلاحية الجلسة؛ جدد الرمز أو سجل الدخول مجددا.",
    },
    "invalid_token": {
        "en": "The token is invalid.",
        "fr": "Le jeton est invalide.",
        "ar": "الرمز غير صالح.",
    },
    "session_revoked": {
        "en": "This session has been closed; log in again.",
        "fr": "Cette session a été fermée ; reconnectez-vous.",
        "ar": "تم إغلاق هذه الجلسة؛ سجل الدخول مجددا.",
    },
    "refresh_token_reused": {
        "en": "This refresh token was already used; the session has been closed for safety.",
        "fr": "Ce jeton de renouvellement a déjà servi ; la session a été fermée par sécurité.",
        "ar": "تم استعمال رمز التجديد هذا من قبل؛ أغلقت الجلسة حفاظا على الأمان.",
    },
    "invalid_credentials": {
        "en": "Wrong username or password.",
        "fr": "Nom d'utilisateur ou mot de passe incorrect.",
        "ar": "اسم المستخدم أو كلمة المرور غير صحيحة.",
    },
    "document_type_mismatch": {
        "en": "The file is not what it claims to be (an image or a PDF of the declared type).",
        "fr": "Le fichier n'est pas ce qu'il prétend être (une image ou un PDF du type annoncé).",
        "ar": "الملف ليس من النوع المصرح به (صورة أو PDF).",
    },
    "not_an_image": {
        "en": "The image cannot be read whole; take the photo again.",
        "fr": "L'image ne peut pas être lue en entier ; reprenez la photo.",
        "ar": "تعذرت قراءة الصورة كاملة؛ أعد التقاطها.",
    },
    "too_small": {
        "en": "The image is too small to read (at least 200 pixels a side).",
        "fr": "L'image est trop petite pour être lue (200 pixels de côté au moins).",
        "ar": "الصورة صغيرة جدا للقراءة (200 بكسل على الأقل لكل جانب).",
    },
    "dimensions_too_large": {
        "en": "The image is too large (at most 50 megapixels).",
        "fr": "L'image est trop grande (50 mégapixels au plus).",
        "ar": "الصورة كبيرة جدا (50 ميغابكسل على الأكثر).",
    },
    "too_large": {
        "en": "The file is too large (at most 10 MB).",
        "fr": "Le fichier est trop volumineux (10 Mo au plus).",
        "ar": "الملف كبير جدا (10 ميغابايت على الأكثر).",
    },
    "unsupported_format": {
        "en": "Send a JPEG, PNG or WebP photo, or a PDF.",
        "fr": "Envoyez une photo JPEG, PNG ou WebP, ou un PDF.",
        "ar": "أرسل صورة JPEG أو PNG أو WebP، أو ملف PDF.",
    },
    "pdf_unreadable": {
        "en": "The PDF cannot be read.",
        "fr": "Le PDF ne peut pas être lu.",
        "ar": "تعذرت قراءة ملف PDF.",
    },
    "pdf_encrypted": {
        "en": "The PDF is password-protected; send it without a password.",
        "fr": "Le PDF est protégé par un mot de passe ; envoyez-le sans.",
        "ar": "ملف PDF محمي بكلمة مرور؛ أرسله بدونها.",
    },
    "pdf_too_many_pages": {
        "en": "The PDF has too many pages (at most 20).",
        "fr": "Le PDF a trop de pages (20 au plus).",
        "ar": "ملف PDF يحتوي صفحات كثيرة (20 على الأكثر).",
    },
    "pdf_active_content": {
        "en": "The PDF carries scripts or actions; send a plain scan or photo.",
        "fr": "Le PDF contient des scripts ou des actions ; envoyez un simple scan ou une photo.",
        "ar": "ملف PDF يحتوي على برامج أو إجراءات؛ أرسل مسحا ضوئيا بسيطا أو صورة.",
    },
    "pdf_attachments": {
        "en": "The PDF carries attached files; send the document alone.",
        "fr": "Le PDF contient des fichiers joints ; envoyez le document seul.",
        "ar": "ملف PDF يحتوي على ملفات مرفقة؛ أرسل الوثيقة وحدها.",
    },
    "malware_found": {
        "en": "The file was refused by the malware scan.",
        "fr": "Le fichier a été refusé par l'analyse antivirus.",
        "ar": "رفض فحص البرمجيات الخبيثة هذا الملف.",
    },
    "malware_scan_failed": {
        "en": "The file could not be scanned for malware; send it again.",
        "fr": "Le fichier n'a pas pu être analysé ; envoyez-le à nouveau.",
        "ar": "تعذر فحص الملف؛ أرسله مرة أخرى.",
    },
    "too_many_attempts": {
        "en": "Too many attempts. Try again in {minutes} minutes.",
        "fr": "Trop de tentatives. Réessayez dans {minutes} minutes.",
        "ar": "محاولات كثيرة جدا. أعد المحاولة بعد {minutes} دقيقة.",
    },
    "authenticator_code_required": {
        "en": "Enter the 6-digit code of your authenticator app (or a recovery code).",
        "fr": "Saisissez le code à 6 chiffres de votre application d'authentification (ou un code de secours).",
        "ar": "أدخل الرمز المكون من 6 أرقام من تطبيق المصادقة (أو رمز استرجاع).",
    },
    "login_code_sent": {
        "en": "For your safety, enter the code we have just texted to your phone.",
        "fr": "Par sécurité, saisissez le code que nous venons d'envoyer sur votre téléphone.",
        "ar": "حفاظا على أمانك، أدخل الرمز الذي أرسلناه للتو إلى هاتفك.",
    },
    "login_code_unavailable": {
        "en": "Too many failed logins from this connection, and no phone to text a code to: try again later.",
        "fr": "Trop d'échecs depuis cette connexion, et aucun téléphone pour recevoir un code : réessayez plus tard.",
        "ar": "محاولات فاشلة كثيرة من هذا الاتصال ولا يوجد هاتف لاستقبال رمز: أعد المحاولة لاحقا.",
    },
    "second_factor_invalid": {
        "en": "This code is wrong, expired or already used.",
        "fr": "Ce code est faux, expiré ou déjà utilisé.",
        "ar": "هذا الرمز خاطئ أو منتهي الصلاحية أو مستعمل من قبل.",
    },
    "two_factor_enrollment_required": {
        "en": "Staff accounts must set up two-factor authentication first.",
        "fr": "Les comptes du personnel doivent d'abord activer la double authentification.",
        "ar": "يجب على حسابات الموظفين تفعيل المصادقة الثنائية أولا.",
    },
    "two_factor_already_enabled": {
        "en": "Two-factor authentication is already on for this account.",
        "fr": "La double authentification est déjà active pour ce compte.",
        "ar": "المصادقة الثنائية مفعلة من قبل لهذا الحساب.",
    },
    "two_factor_not_started": {
        "en": "Start the set-up first: no authenticator is waiting for confirmation.",
        "fr": "Commencez par la mise en place : aucune application n'attend de confirmation.",
        "ar": "ابدأ الإعداد أولا: لا يوجد تطبيق مصادقة في انتظار التأكيد.",
    },
    "two_factor_not_enabled": {
        "en": "Two-factor authentication is not on for this account.",
        "fr": "La double authentification n'est pas active pour ce compte.",
        "ar": "المصادقة الثنائية غير مفعلة لهذا الحساب.",
    },
    "two_factor_required_for_staff": {
        "en": "Admins cannot turn two-factor authentication off.",
        "fr": "Les administrateurs ne peuvent pas désactiver la double authentification.",
        "ar": "لا يمكن للمشرفين إيقاف المصادقة الثنائية.",
    },
    "two_factor_code_invalid": {
        "en": "This code does not match; check the time of your phone and try the newest code.",
        "fr": "Ce code ne correspond pas ; vérifiez l'heure du téléphone et essayez le code le plus récent.",
        "ar": "هذا الرمز غير مطابق؛ تحقق من ساعة الهاتف وجرب أحدث رمز.",
    },
    "user_disabled": {
        "en": "This user has been disabled by the shop owner.",
        "fr": "Cet utilisateur a été désactivé par le gérant du magasin.",
        "ar": "تم تعطيل هذا المستخدم من طرف صاحب المحل.",
    },
    "onboarding_closed": {
        "en": "This shop's registration has been reviewed: its owner signs in with their username.",
        "fr": "L'inscription de ce magasin a été examinée : son gérant se connecte avec son identifiant.",
        "ar": "رُوجع طلب تسجيل هذا المحل: يدخل صاحبه باسم المستخدم.",
    },
    "retailer_pending": {
        "en": "Your shop's registration is awaiting approval by Livrili.",
        "fr": "L'inscription de votre magasin est en attente de validation par Livrili.",
        "ar": "تسجيل محلك في انتظار موافقة ليفريلي.",
    },
    "retailer_rejected": {
        "en": "Your shop's registration was rejected: {reason}",
        "fr": "L'inscription de votre magasin a été refusée : {reason}",
        "ar": "تم رفض تسجيل محلك: {reason}",
    },
    "retailer_suspended": {
        "en": "Your shop's account is suspended: {reason}",
        "fr": "Le compte de votre magasin est suspendu : {reason}",
        "ar": "حساب محلك معلق: {reason}",
    },
    "forbidden": {
        "en": "You are not allowed to do this.",
        "fr": "Vous n'êtes pas autorisé à faire cela.",
        "ar": "غير مسموح لك بهذا الإجراء.",
    },
    "not_found": {
        "en": "Not found.",
        "fr": "Introuvable.",
        "ar": "غير موجود.",
    },
    "route_not_found": {
        "en": "No such endpoint.",
        "fr": "Cette adresse n'existe pas.",
        "ar": "هذا المسار غير موجود.",
    },
    "method_not_allowed": {
        "en": "This method is not allowed here.",
        "fr": "Cette méthode n'est pas autorisée ici.",
        "ar": "هذه الطريقة غير مسموح بها هنا.",
    },
    "unsupported_media_type": {
        "en": "Send the body with this route's content type (application/json; Twilio's webhooks: form-encoded).",
        "fr": "Envoyez le corps dans le format de cette route (application/json ; webhooks Twilio : formulaire).",
        "ar": "أرسل المحتوى بصيغة هذا المسار (application/json؛ وبصيغة نموذج لخطافات Twilio).",
    },
    "username_taken": {
        "en": "This username is already taken.",
        "fr": "Ce nom d'utilisateur est déjà pris.",
        "ar": "اسم المستخدم هذا مستعمل.",
    },
    "phone_taken": {
        "en": "This phone number already belongs to another user.",
        "fr": "Ce numéro de téléphone appartient déjà à un autre utilisateur.",
        "ar": "رقم الهاتف هذا مسجل لمستخدم آخر.",
    },
    "user_limit_reached": {
        "en": "A shop can have at most {limit} users.",
        "fr": "Un magasin peut avoir au plus {limit} utilisateurs.",
        "ar": "لا يمكن أن يتجاوز عدد مستخدمي المحل {limit}.",
    },
    "invalid_transition": {
        "en": "A retailer that is {status} cannot be {action}.",
        "fr": "Un détaillant au statut {status} ne peut pas être {action}.",
        "ar": "لا يمكن تنفيذ {action} على تاجر حالته {status}.",
    },
    "last_owner": {
        "en": "A shop must keep at least one active owner.",
        "fr": "Un magasin doit garder au moins un gérant actif.",
        "ar": "يجب أن يبقى للمحل مالك نشط واحد على الأقل.",
    },
    "cannot_change_self": {
        "en": "You cannot change your own role or disable yourself.",
        "fr": "Vous ne pouvez pas modifier votre propre rôle ni vous désactiver.",
        "ar": "لا يمكنك تغيير دورك أو تعطيل حسابك بنفسك.",
    },
    "conflict": {
        "en": "The resource changed meanwhile; reload and try again.",
        "fr": "La ressource a changé entre-temps ; rechargez et réessayez.",
        "ar": "تغير المورد في الأثناء؛ أعد التحميل وحاول مجددا.",
    },
    "internal_error": {
        "en": "An internal error occurred. Quote reference {correlation_id} to support.",
        "fr": "Une erreur interne est survenue. Référence pour le support : {correlation_id}.",
        "ar": "حدث خطأ داخلي. اذكر المرجع {correlation_id} للدعم.",
    },
    "service_unavailable": {
        "en": "The service is temporarily unavailable.",
        "fr": "Le service est temporairement indisponible.",
        "ar": "الخدمة غير متوفرة مؤقتا.",
    },
    # field-level codes (validation details)
    "date_in_past": {
        "en": "This date is already past.",
        "fr": "Cette date est déjà passée.",
        "ar": "هذا التاريخ قد مضى.",
    },
    "date_too_far": {
        "en": "Choose a day at most {max_days} days ahead.",
        "fr": "Choisissez un jour dans les {max_days} prochains jours au plus.",
        "ar": "اختر يوما خلال {max_days} يوما القادمة على الأكثر.",
    },
    "push_endpoint_invalid": {
        "en": "This is not a push service address (https, on a public host).",
        "fr": "Ce n'est pas l'adresse d'un service de notifications (https, hôte public).",
        "ar": "هذا ليس عنوان خدمة إشعارات (https على خادم عمومي).",
    },
    "push_keys_invalid": {
        "en": "The browser's keys are not valid (a P-256 key and a 16-byte secret, base64url).",
        "fr": "Les clés du navigateur ne sont pas valides (une clé P-256 et un secret de 16 octets, base64url).",
        "ar": "مفاتيح المتصفح غير صالحة.",
    },
    "field_required": {
        "en": "This field is required.",
        "fr": "Ce champ est obligatoire.",
        "ar": "هذا الحقل إلزامي.",
    },
    "field_invalid": {
        "en": "This value is invalid.",
        "fr": "Cette valeur est invalide.",
        "ar": "هذه القيمة غير صالحة.",
    },
    "field_unknown": {
        "en": "This field is not allowed.",
        "fr": "Ce champ n'est pas autorisé.",
        "ar": "هذا الحقل غير مسموح به.",
    },
    "field_too_short": {
        "en": "Too short (minimum {min_length}).",
        "fr": "Trop court (minimum {min_length}).",
        "ar": "قصير جدا (الحد الأدنى {min_length}).",
    },
    "field_too_long": {
        "en": "Too long (maximum {max_length}).",
        "fr": "Trop long (maximum {max_length}).",
        "ar": "طويل جدا (الحد الأقصى {max_length}).",
    },
    "field_out_of_range": {
        "en": "Out of the allowed range.",
        "fr": "Hors de la plage autorisée.",
        "ar": "خارج المجال المسموح.",
    },
    "field_wrong_type": {
        "en": "Wrong type of value.",
        "fr": "Type de valeur incorrect.",
        "ar": "نوع القيمة غير صحيح.",
    },
    "field_not_allowed_value": {
        "en": "Must be one of: {expected}.",
        "fr": "Doit être l'une des valeurs : {expected}.",
        "ar": "يجب أن تكون إحدى القيم: {expected}.",
    },
    "invalid_phone": {
        "en": "Enter an Algerian mobile number (05, 06 or 07…).",
        "fr": "Saisissez un numéro mobile algérien (05, 06 ou 07…).",
        "ar": "أدخل رقم هاتف نقال جزائري (05 أو 06 أو 07…).",
    },
    "invalid_nif": {
        "en": "The NIF must have 15 or 20 digits.",
        "fr": "Le NIF doit comporter 15 ou 20 chiffres.",
        "ar": "يجب أن يتكون رقم التعريف الجبائي من 15 أو 20 رقما.",
    },
    "invalid_nis": {
        "en": "The NIS must have 11 to 20 digits.",
        "fr": "Le NIS doit comporter de 11 à 20 chiffres.",
        "ar": "يجب أن يتكون رقم التعريف الإحصائي من 11 إلى 20 رقما.",
    },
    "invalid_ai": {
        "en": "The article d'imposition must have 8 to 20 digits.",
        "fr": "L'article d'imposition doit comporter de 8 à 20 chiffres.",
        "ar": "يجب أن تتكون مادة الضريبة من 8 إلى 20 رقما.",
    },
    "invalid_rc": {
        "en": "Enter the trade register number as written on the RC extract.",
        "fr": "Saisissez le numéro du registre de commerce tel qu'il figure sur l'extrait.",
        "ar": "أدخل رقم السجل التجاري كما هو مكتوب في المستخرج.",
    },
    "invalid_username": {
        "en": "3–32 characters: letters, digits, dot, dash or underscore.",
        "fr": "3 à 32 caractères : lettres, chiffres, point, tiret ou tiret bas.",
        "ar": "من 3 إلى 32 حرفا: حروف لاتينية أو أرقام أو نقطة أو شرطة.",
    },
    "username_is_phone": {
        "en": "A phone number cannot be a username: the user signs in with their phone anyway.",
        "fr": "Un numéro de téléphone ne peut pas être un nom d'utilisateur : on se connecte aussi par téléphone.",
        "ar": "لا يمكن أن يكون رقم الهاتف اسم مستخدم: يمكن تسجيل الدخول برقم الهاتف أصلا.",
    },
    "reset_code_invalid": {
        "en": "This code is not valid (wrong, expired or already used). Ask for a new one.",
        "fr": "Ce code n'est pas valable (erroné, expiré ou déjà utilisé). Demandez-en un nouveau.",
        "ar": "هذا الرمز غير صالح (خاطئ أو منتهي أو مستعمل). اطلب رمزا جديدا.",
    },
    "code_recently_sent": {
        "en": "A code was sent a moment ago: wait {seconds} s before asking for another.",
        "fr": "Un code vient d'être envoyé : attendez {seconds} s avant d'en demander un autre.",
        "ar": "أُرسل رمز قبل قليل: انتظر {seconds} ثانية قبل طلب رمز آخر.",
    },
    "phone_unchanged": {
        "en": "This is already your phone number.",
        "fr": "C'est déjà votre numéro.",
        "ar": "هذا هو رقم هاتفك بالفعل.",
    },
    "phone_code_invalid": {
        "en": "This code is wrong or has expired: ask for a new one.",
        "fr": "Ce code est faux ou a expiré : demandez-en un nouveau.",
        "ar": "هذا الرمز خاطئ أو انتهت صلاحيته: اطلب رمزًا جديدًا.",
    },
    "reset_code_recently_sent": {
        "en": "A code was sent a moment ago; another one can be sent in {seconds} seconds.",
        "fr": "Un code vient d'être envoyé ; un autre pourra l'être dans {seconds} secondes.",
        "ar": "تم إرسال رمز منذ لحظات؛ يمكن إرسال رمز آخر بعد {seconds} ثانية.",
    },
    "no_phone": {
        "en": "This user has no phone number to send a code to.",
        "fr": "Cet utilisateur n'a pas de numéro de téléphone pour recevoir un code.",
        "ar": "ليس لهذا المستخدم رقم هاتف لإرسال الرمز.",
    },
    "no_legal_change": {
        "en": "This shop has no change of its legal identifiers waiting for review.",
        "fr": "Ce magasin n'a pas de changement d'identifiants légaux en attente.",
        "ar": "ليس لهذا المحل تغيير في المعرفات القانونية ينتظر المراجعة.",
    },
    "wrong_password": {
        "en": "The current password is not right.",
        "fr": "Le mot de passe actuel n'est pas le bon.",
        "ar": "كلمة المرور الحالية غير صحيحة.",
    },
    "same_password": {
        "en": "Choose a new password different from the current one.",
        "fr": "Choisissez un nouveau mot de passe différent de l'actuel.",
        "ar": "اختر كلمة مرور جديدة مختلفة عن الحالية.",
    },
    "password_change_required": {
        "en": "Change your temporary password first.",
        "fr": "Changez d'abord votre mot de passe temporaire.",
        "ar": "غيّر كلمة المرور المؤقتة أولا.",
    },
    "control_characters": {
        "en": "Control characters are not allowed in this text.",
        "fr": "Les caractères de contrôle ne sont pas acceptés dans ce texte.",
        "ar": "رموز التحكم غير مقبولة في هذا النص.",
    },
    "weak_password": {
        "en": "The password needs at least 10 characters, with letters and digits.",
        "fr": "Le mot de passe doit faire au moins 10 caractères, avec lettres et chiffres.",
        "ar": "يجب أن تحتوي كلمة المرور على 10 أحرف على الأقل، بحروف وأرقام.",
    },
    "invalid_id": {
        "en": "This is not a valid identifier.",
        "fr": "Cet identifiant n'est pas valide.",
        "ar": "هذا المعرف غير صالح.",
    },
    "invalid_sku": {
        "en": "A SKU is 2 to 40 letters, digits, dots, dashes or underscores.",
        "fr": "Un SKU compte 2 à 40 lettres, chiffres, points, tirets ou soulignés.",
        "ar": "رمز المنتج (SKU) من 2 إلى 40 حرفا أو رقما أو نقطة أو شرطة.",
    },
    "invalid_barcode": {
        "en": "The barcode must be an EAN-13 or EAN-8 with a correct check digit.",
        "fr": "Le code-barres doit être un EAN-13 ou EAN-8 avec une clé de contrôle correcte.",
        "ar": "يجب أن يكون الرمز الشريطي EAN-13 أو EAN-8 برقم تحقق صحيح.",
    },
    "moq_not_pack_multiple": {
        "en": "The minimum order quantity must be a multiple of the pack size ({pack_size}).",
        "fr": "La quantité minimale de commande doit être un multiple du colisage ({pack_size}).",
        "ar": "يجب أن تكون الكمية الدنيا للطلب من مضاعفات حجم العبوة ({pack_size}).",
    },
    "sku_taken": {
        "en": "Another product already has this SKU.",
        "fr": "Un autre produit a déjà ce SKU.",
        "ar": "يوجد منتج آخر بنفس رمز SKU.",
    },
    "barcode_taken": {
        "en": "Another product already has this barcode.",
        "fr": "Un autre produit a déjà ce code-barres.",
        "ar": "يوجد منتج آخر بنفس الرمز الشريطي.",
    },
    "category_not_found": {
        "en": "This category does not exist.",
        "fr": "Cette catégorie n'existe pas.",
        "ar": "هذه الفئة غير موجودة.",
    },
    "category_inactive": {
        "en": "This category is deactivated; reactivate it first.",
        "fr": "Cette catégorie est désactivée ; réactivez-la d'abord.",
        "ar": "هذه الفئة معطلة؛ فعّلها أولا.",
    },
    "category_not_empty": {
        "en": "This category still has {products} active products and {children} active subcategories.",
        "fr": "Cette catégorie contient encore {products} produits actifs et {children} sous-catégories actives.",
        "ar": "ما زالت هذه الفئة تضم {products} منتجات نشطة و{children} فئات فرعية نشطة.",
    },
    "category_too_deep": {
        "en": "Categories nest one level only: the parent must be a top-level category.",
        "fr": "Les catégories n'ont qu'un niveau d'imbrication : le parent doit être une catégorie racine.",
        "ar": "الفئات متداخلة بمستوى واحد فقط: يجب أن يكون الأصل فئة رئيسية.",
    },
    "category_order_mismatch": {
        "en": "List every subcategory of this parent exactly once.",
        "fr": "Listez chaque catégorie de ce parent exactement une fois.",
        "ar": "اذكر كل فئة من فئات هذا الأصل مرة واحدة بالضبط.",
    },
    "version_conflict": {
        "en": "Someone changed this record since you read it (now version {current}); reload and retry.",
        "fr": "Quelqu'un a modifié cet élément depuis votre lecture (version {current}) ; rechargez et réessayez.",
        "ar": "عدّل شخص آخر هذا العنصر منذ قراءتك له (الإصدار {current})؛ أعد التحميل وحاول مجددا.",
    },
    "insufficient_stock": {
        "en": "Stock cannot go below zero: {available} in stock.",
        "fr": "Le stock ne peut pas devenir négatif : {available} en stock.",
        "ar": "لا يمكن أن يصبح المخزون سالبا: المتوفر {available}.",
    },
    "stock_busy": {
        "en": "The stock of this product is changing right now; retry.",
        "fr": "Le stock de ce produit est en cours de modification ; réessayez.",
        "ar": "مخزون هذا المنتج يتغير الآن؛ أعد المحاولة.",
    },
    "image_limit_reached": {
        "en": "A product has at most {limit} images (uploads in progress included).",
        "fr": "Un produit a au plus {limit} images (envois en cours compris).",
        "ar": "للمنتج {limit} صور على الأكثر (بما فيها الصور قيد الرفع).",
    },
    "image_order_mismatch": {
        "en": "List every image of the product exactly once.",
        "fr": "Listez chaque image du produit exactement une fois.",
        "ar": "اذكر كل صورة من صور المنتج مرة واحدة بالضبط.",
    },
    "field_not_zero": {
        "en": "This value must not be zero.",
        "fr": "Cette valeur ne doit pas être nulle.",
        "ar": "يجب ألا تكون هذه القيمة صفرا.",
    },
    "idempotency_key_required": {
        "en": "This request needs an Idempotency-Key header (a unique key per order or payment).",
        "fr": "Cette requête exige un en-tête Idempotency-Key (une clé unique par commande ou paiement).",
        "ar": "يتطلب هذا الطلب ترويسة Idempotency-Key (مفتاح فريد لكل طلبية أو دفعة).",
    },
    "idempotency_key_invalid": {
        "en": "The Idempotency-Key must be 8 to 128 printable ASCII characters.",
        "fr": "L'Idempotency-Key doit compter 8 à 128 caractères ASCII imprimables.",
        "ar": "يجب أن يتكون Idempotency-Key من 8 إلى 128 حرفا ASCII قابلا للطباعة.",
    },
    "idempotency_key_reused": {
        "en": "This Idempotency-Key was already used for a different request.",
        "fr": "Cette Idempotency-Key a déjà servi pour une autre requête.",
        "ar": "استعمل مفتاح Idempotency-Key هذا لطلب مختلف من قبل.",
    },
    "order_rejected": {
        "en": "The order cannot be placed; see the reason for each line.",
        "fr": "La commande ne peut pas être passée ; voyez le motif de chaque ligne.",
        "ar": "لا يمكن تسجيل الطلبية؛ راجع سبب كل سطر.",
    },
    "not_pack_multiple": {
        "en": "Order this product in multiples of {pack_size}.",
        "fr": "Commandez ce produit par multiples de {pack_size}.",
        "ar": "اطلب هذا المنتج بمضاعفات {pack_size}.",
    },
    "invalid_signature": {
        "en": "The request signature is missing or invalid.",
        "fr": "La signature de la requête est absente ou invalide.",
        "ar": "توقيع الطلب مفقود أو غير صالح.",
    },
    "invoice_not_ready": {
        "en": "The invoice is issued at delivery (this order is {status}).",
        "fr": "La facture est émise à la livraison (cette commande est {status}).",
        "ar": "تصدر الفاتورة عند التسليم (حالة هذه الطلبية {status}).",
    },
    "product_not_found": {
        "en": "This product does not exist.",
        "fr": "Ce produit n'existe pas.",
        "ar": "هذا المنتج غير موجود.",
    },
    "price_changed": {
        "en": "The price of this product is now {price_with_vat} centimes with VAT ({price_seen} when the order "
        "was made).",
        "fr": "Le prix de ce produit est maintenant de {price_with_vat} centimes TTC ({price_seen} quand la "
        "commande a été faite).",
        "ar": "سعر هذا المنتج الآن {price_with_vat} سنتيم بالرسوم ({price_seen} عند إعداد الطلب).",
    },
    "inactive_product": {
        "en": "This product is no longer sold.",
        "fr": "Ce produit n'est plus vendu.",
        "ar": "هذا المنتج لم يعد متوفرا للبيع.",
    },
    "below_min_order_quantity": {
        "en": "Order at least {min_order_quantity} of this product.",
        "fr": "Commandez au moins {min_order_quantity} de ce produit.",
        "ar": "اطلب {min_order_quantity} على الأقل من هذا المنتج.",
    },
    "out_of_stock": {
        "en": "Not enough stock: {available} available.",
        "fr": "Stock insuffisant : {available} disponible(s).",
        "ar": "المخزون غير كاف: المتوفر {available}.",
    },
    "credit_not_available": {
        "en": "This shop has no credit line; pay cash on delivery.",
        "fr": "Ce commerce n'a pas de ligne de crédit ; payez à la livraison.",
        "ar": "لا يملك هذا المحل خط ائتمان؛ ادفع نقدا عند التسليم.",
    },
    "credit_limit_exceeded": {
        "en": "This order exceeds the available credit ({available} centimes).",
        "fr": "Cette commande dépasse le crédit disponible ({available} centimes).",
        "ar": "تتجاوز هذه الطلبية الرصيد الائتماني المتاح ({available} سنتيم).",
    },
    "retailer_not_approved": {
        "en": "This shop is not approved for ordering (status: {status}).",
        "fr": "Ce commerce n'est pas autorisé à commander (statut : {status}).",
        "ar": "هذا المحل غير مؤهل للطلب (الحالة: {status}).",
    },
    "too_many_products": {
        "en": "An order holds at most {max} different products; split it.",
        "fr": "Une commande compte au plus {max} produits différents ; scindez-la.",
        "ar": "تضم الطلبية {max} منتجا مختلفا على الأكثر؛ قسمها.",
    },
    "order_busy": {
        "en": "The stock or the order changed too often while we processed it; retry.",
        "fr": "Le stock ou la commande a changé trop souvent pendant le traitement ; réessayez.",
        "ar": "تغير المخزون أو الطلبية كثيرا أثناء المعالجة؛ أعد المحاولة.",
    },
    "order_moved_on": {
        "en": "This order is {from_status} now: only Livrili can make it {to_status}.",
        "fr": "Cette commande est maintenant {from_status} : seul Livrili peut la passer à {to_status}.",
        "ar": "هذه الطلبية الآن {from_status}: لا تنقلها إلى {to_status} إلا ليفريلي.",
    },
    "invalid_order_transition": {
        "en": "An order that is {from_status} cannot become {to_status}.",
        "fr": "Une commande au statut {from_status} ne peut pas passer à {to_status}.",
        "ar": "لا يمكن نقل طلبية حالتها {from_status} إلى {to_status}.",
    },
    "field_not_allowed": {
        "en": "This field does not apply here.",
        "fr": "Ce champ ne s'applique pas ici.",
        "ar": "هذا الحقل لا ينطبق هنا.",
    },
    "driver_not_found": {
        "en": "No active driver with this id.",
        "fr": "Aucun livreur actif avec cet identifiant.",
        "ar": "لا يوجد سائق نشط بهذا المعرف.",
    },
    "not_in_order": {
        "en": "This product is not in the order.",
        "fr": "Ce produit ne fait pas partie de la commande.",
        "ar": "هذا المنتج ليس ضمن الطلبية.",
    },
    "duplicate_line": {
        "en": "This product is listed twice.",
        "fr": "Ce produit figure deux fois.",
        "ar": "هذا المنتج مذكور مرتين.",
    },
    "more_than_ordered": {
        "en": "More than ordered ({ordered}).",
        "fr": "Plus que la quantité commandée ({ordered}).",
        "ar": "أكثر من الكمية المطلوبة ({ordered}).",
    },
    "nothing_delivered": {
        "en": "Nothing was delivered: send the order back to preparing instead.",
        "fr": "Rien n'a été livré : renvoyez plutôt la commande en préparation.",
        "ar": "لم يسلم أي شيء: أعد الطلبية إلى التحضير بدلا من ذلك.",
    },
    "cash_exceeds_total": {
        "en": "More cash than the delivered total ({total} centimes).",
        "fr": "Plus d'espèces que le total livré ({total} centimes).",
        "ar": "المبلغ النقدي أكبر من مجموع ما سلم ({total} سنتيم).",
    },
    "credit_account_missing": {
        "en": "This shop has no account yet; approve it first.",
        "fr": "Ce commerce n'a pas encore de compte ; approuvez-le d'abord.",
        "ar": "لا يملك هذا المحل حسابا بعد؛ وافق عليه أولا.",
    },
    "payment_exceeds_balance": {
        "en": "More than the shop owes ({owed} centimes).",
        "fr": "Plus que ce que doit le commerce ({owed} centimes).",
        "ar": "أكثر مما يدين به المحل ({owed} سنتيم).",
    },
    "payment_too_fragmented": {
        "en": "This payment would settle more than {max} dues at once; split it.",
        "fr": "Ce paiement solderait plus de {max} échéances à la fois ; scindez-le.",
        "ar": "ستسدد هذه الدفعة أكثر من {max} مستحقا دفعة واحدة؛ قسمها.",
    },
    "entry_not_reversible": {
        "en": "Only payments can be reversed.",
        "fr": "Seuls les paiements peuvent être annulés.",
        "ar": "لا يمكن عكس سوى الدفعات.",
    },
    "already_reversed": {
        "en": "This entry was already reversed.",
        "fr": "Cette écriture a déjà été annulée.",
        "ar": "تم عكس هذا القيد من قبل.",
    },
    "date_range_invalid": {
        "en": "date_from is after date_to.",
        "fr": "date_from est postérieure à date_to.",
        "ar": "date_from بعد date_to.",
    },
}


def negotiate(accept_language: str | None) -> str:
    """Pick ar, fr or en from an Accept-Language header (q-values honoured)."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(accept_language.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        lang = tag.strip().lower().split("-")[0]
        if lang not in LANGUAGES or quality <= 0:
            continue
        candidate = (quality, -position, lang)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best else DEFAULT_LANGUAGE


ORDER_STATUS_WORDS = {
    "pending": {"ar": "قيد الانتظار", "fr": "en attente", "en": "pending"},
    "confirmed": {"ar": "مؤكدة", "fr": "confirmée", "en": "confirmed"},
    "preparing": {"ar": "قيد التحضير", "fr": "en préparation", "en": "being prepared"},
    "out_for_delivery": {"ar": "في الطريق", "fr": "en route", "en": "on its way"},
    "delivered": {"ar": "تم التسليم", "fr": "livrée", "en": "delivered"},
    "cancelled": {"ar": "ملغاة", "fr": "annulée", "en": "cancelled"},
}
# message parameters that hold an order's status: said in words, not as the API's code
_STATUS_PARAMS = ("from_status", "to_status")


def translate(code: str, lang: str, params: dict[str, Any] | None = None) -> str:
    """The message for `code` in `lang`; unknown codes fall back to a generic message."""
    entry = MESSAGES.get(code) or MESSAGES["bad_request"]
    template = entry.get(lang) or entry["en"]
    said = dict(params or {})
    for name in _STATUS_PARAMS:
        words = ORDER_STATUS_WORDS.get(str(said.get(name)))
        if words:
            said[name] = words.get(lang) or words["en"]
    try:
        return template.format(**said)
    except (KeyError, IndexError):
        return template

// Refusals in the editor's language: the API's errors carry a stable `code` (chalicelib/errors.py CODES),
// a `field` and the limits involved; the English `message` is never shown. Also the app's own failures
// (no network, an upload the bucket refused) and the reasons a photo was rejected (a photo's `reason_code`).

import { currentLanguage, t } from "./i18n.js";

const WORDS = {
  "zh-CN": {
    internal: "服务器出错了，请稍后再试；如果一直出现，请联系管理员。",
    not_found: "找不到要操作的内容，可能已被删除。",
    unauthorized: "登录已失效，请重新登录。",
    forbidden: "没有权限进行此操作。",
    conflict: "内容已被其他人修改，请刷新后再试。",
    invalid: "{field}填写有误。",
    too_many_attempts: "尝试次数过多，请稍后再试。",
    unavailable: "服务暂时繁忙，请稍后再试。您的内容仍在本页。",
    body_too_large: "提交的内容太大（上限 {mb} MB）。",
    bad_json: "提交的数据格式有误，请刷新页面后重试。",
    not_an_object: "提交的数据格式有误，请刷新页面后重试。",
    too_deep: "提交的数据格式有误，请刷新页面后重试。",
    bad_characters: "{field}含有无法保存的字符，请删除后重试。",
    unknown_field: "提交的数据中有无法识别的项目，请刷新页面后重试。",
    required: "请填写{field}。",
    not_text: "{field}格式有误。",
    empty: "{field}不能为空。",
    too_long: "{field}太长了（最多 {limit} 个字）。",
    bad_id: "{field}无效。",
    not_boolean: "{field}格式有误。",
    out_of_range: "{field}超出允许范围（{low}–{high}）。",
    bad_slug: "标识只能使用 1–64 个小写字母、数字或“-”，且不能以“-”开头。",
    bad_time: "时间格式有误，请重新选择。",
    time_out_of_range: "时间须在 2000 年到 2100 年之间。",
    body_not_list: "正文格式有误，请刷新页面后重试。",
    too_many_blocks: "正文最多 {limit} 块，请拆分为多篇文章。",
    bad_block: "正文格式有误，请刷新页面后重试。",
    bad_block_type: "正文中有无法识别的内容块。",
    article_too_large: "正文文字太多（上限 {kb} KB），请拆分为多篇文章。",
    version_required: "文章版本缺失，请刷新页面后重试。",
    bad_cursor: "翻页链接已失效，请回到第一页。",
    bad_page: "页码无效。",
    bad_status: "筛选条件无效。",
    wrong_credentials: "用户名或密码错误。",
    account_disabled: "账号已停用，请联系管理员。",
    token_required: "请先登录。",
    token_invalid: "登录已失效，请重新登录。",
    token_revoked: "登录已失效（可能已在其他设备退出或修改了密码），请重新登录。",
    bad_role: "角色无效。",
    bad_username: "用户名须为 2–64 个小写字母、数字或“.”“_”“-”。",
    username_taken: "用户名已被使用，请换一个。",
    cannot_change_self: "不能停用自己或取消自己的管理员身份，请让其他管理员操作。",
    editor_not_found: "找不到该账号。",
    wrong_current_password: "当前密码不正确。",
    password_too_short: "密码至少需要 {limit} 个字符。",
    admins_only: "仅管理员可用。",
    article_exists: "文章已存在。",
    article_not_found: "找不到这篇文章，可能已被删除。",
    version_conflict: "文章已被其他人修改。",
    unknown_category: "所选栏目不存在，请重新选择。",
    unknown_photo: "{field}引用的图片不存在，请删除后重新添加。",
    photos_not_ready: "有图片缺失或无法使用，请先替换。",
    cover_not_ready: "封面图片缺失或无法使用，请重新选择。",
    preview_not_found: "预览链接已失效。",
    category_not_found: "找不到该栏目，可能已被删除。",
    category_exists: "标识已存在。",
    categories_changed: "栏目已被其他人修改，请刷新后再试。",
    category_has_children: "该栏目下还有子栏目，不能删除。",
    category_in_use: "该栏目下还有文章，不能删除。",
    category_own_parent: "栏目不能作为自己的上级栏目。",
    unknown_parent: "所选上级栏目不存在。",
    parent_is_child: "栏目最多两级：所选上级栏目本身是子栏目。",
    category_has_children_cannot_nest: "该栏目下有子栏目，不能再设上级栏目。",
    bad_content_type: "只能上传 JPEG、PNG 或 WebP 图片。",
    file_too_large: "文件太大（上限 {mb} MB）。",
    unknown_article: "找不到这篇文章，可能已被删除。",
    photo_not_found: "找不到该图片，可能已被删除。",
    photo_in_use: "该图片正被文章使用，不能删除。",
    not_an_image: "文件不是 JPEG、PNG 或 WebP 图片。",
    damaged: "文件已损坏或不完整，请重新导出后上传。",
    too_many_pixels: "图片像素过多（上限 {wan} 万像素），请缩小后上传。",
    too_tall: "图片太长（缩放后高度上限 {limit} 像素），请拆成几张上传。",
    too_large_to_decode: "图片太大无法处理（上限 {wan} 万像素），请另存为 JPEG 或缩小后上传。",
    gave_up: "图片处理失败，请重新上传。",
    photo_rejected: "图片无法使用，请换一张。",
    sitemap_not_found: "找不到该站点地图。",
    counting_by_page: "阅读数由页面统计。",
    network: "网络连接失败，请检查网络后重试。",
    upload_network: "上传中断（网络连接失败），请点“重试”。",
    upload_refused: "存储服务拒绝了上传（可能上传链接已过期），请点“重试”。",
  },
  en: {
    internal: "Something went wrong on the server; try again later, and tell an admin if it persists.",
    not_found: "Not found; it may have been deleted.",
    unauthorized: "Your session has ended; please log in again.",
    forbidden: "You may not do that.",
    conflict: "Someone else changed this; reload and try again.",
    invalid: "{field} is not valid.",
    too_many_attempts: "Too many attempts; try again later.",
    unavailable: "The service is busy; try again shortly. Your work is still on this page.",
    body_too_large: "What you sent is too large (at most {mb} MB).",
    bad_json: "The data sent was malformed; reload the page and try again.",
    not_an_object: "The data sent was malformed; reload the page and try again.",
    too_deep: "The data sent was malformed; reload the page and try again.",
    bad_characters: "{field} has characters that cannot be saved; remove them and try again.",
    unknown_field: "The data sent has an unknown item; reload the page and try again.",
    required: "{field} is required.",
    not_text: "{field} is not valid.",
    empty: "{field} cannot be empty.",
    too_long: "{field} is too long (at most {limit} characters).",
    bad_id: "{field} is not valid.",
    not_boolean: "{field} is not valid.",
    out_of_range: "{field} is out of range ({low}–{high}).",
    bad_slug: "A slug is 1–64 lowercase letters, digits or “-”, not starting with “-”.",
    bad_time: "The time is not valid; choose it again.",
    time_out_of_range: "The time must be between the years 2000 and 2100.",
    body_not_list: "The body is malformed; reload the page and try again.",
    too_many_blocks: "A body has at most {limit} blocks; split the article.",
    bad_block: "The body is malformed; reload the page and try again.",
    bad_block_type: "The body has a block of an unknown kind.",
    article_too_large: "The body has too much text (at most {kb} KB); split the article.",
    version_required: "The article's version is missing; reload the page and try again.",
    bad_cursor: "That page link has expired; go back to the first page.",
    bad_page: "That page number is not valid.",
    bad_status: "That filter is not valid.",
    wrong_credentials: "Wrong username or password.",
    account_disabled: "This account is disabled; ask an admin.",
    token_required: "Please log in.",
    token_invalid: "Your session has ended; please log in again.",
    token_revoked: "Your session has ended (logged out elsewhere or password changed); please log in again.",
    bad_role: "That role is not valid.",
    bad_username: "Usernames are 2–64 lowercase letters, digits, “.”, “_” or “-”.",
    username_taken: "That username is taken; choose another.",
    cannot_change_self: "You cannot disable or demote yourself; ask another admin.",
    editor_not_found: "No such account.",
    wrong_current_password: "The current password is wrong.",
    password_too_short: "Passwords have at least {limit} characters.",
    admins_only: "Admins only.",
    article_exists: "The article exists already.",
    article_not_found: "The article was not found; it may have been deleted.",
    version_conflict: "Someone else changed the article.",
    unknown_category: "The chosen category does not exist; choose again.",
    unknown_photo: "{field} names a photo that does not exist; remove it and add it again.",
    photos_not_ready: "Some photos are missing or unusable; replace them first.",
    cover_not_ready: "The cover photo is missing or unusable; choose another.",
    preview_not_found: "The preview link has expired.",
    category_not_found: "The category was not found; it may have been deleted.",
    category_exists: "That slug exists already.",
    categories_changed: "Someone else changed the categories; reload and try again.",
    category_has_children: "The category has sub-categories, so it cannot be deleted.",
    category_in_use: "Articles use this category, so it cannot be deleted.",
    category_own_parent: "A category cannot be its own parent.",
    unknown_parent: "The chosen parent category does not exist.",
    parent_is_child: "Categories nest one level deep: the chosen parent is a sub-category.",
    category_has_children_cannot_nest: "This category has sub-categories, so it cannot have a parent.",
    bad_content_type: "Only JPEG, PNG or WebP images can be uploaded.",
    file_too_large: "The file is too large (at most {mb} MB).",
    unknown_article: "The article was not found; it may have been deleted.",
    photo_not_found: "The photo was not found; it may have been deleted.",
    photo_in_use: "An article shows this photo, so it cannot be deleted.",
    not_an_image: "The file is not a JPEG, PNG or WebP image.",
    damaged: "The file is damaged or incomplete; export it again and upload it.",
    too_many_pixels: "The image has too many pixels (at most {megapixels} megapixels); make it smaller.",
    too_tall: "The image is too tall (at most {limit} px high when scaled); split it into several photos.",
    too_large_to_decode: "The image is too large to process (at most {megapixels} megapixels); save it as a JPEG or smaller.",
    gave_up: "The photo could not be processed; upload it again.",
    photo_rejected: "The photo cannot be used; choose another.",
    sitemap_not_found: "No such sitemap.",
    counting_by_page: "Views are counted by the page.",
    network: "No network connection; check it and try again.",
    upload_network: "The upload was interrupted (no network); press Retry.",
    upload_refused: "Storage refused the upload (the upload link may have expired); press Retry.",
  },
};

// Field names as the editor knows them (the API's `field`, e.g. "title" or "body[3].caption").
const FIELD_LABELS = {
  title: "title",
  subtitle: "subtitle",
  category: "category",
  source: "source",
  author: "author",
  cover_photo_id: "cover",
  notice: "notice",
  body: "body",
  text: "paragraph",
  caption: "caption",
  alt: "alt",
  username: "username",
  password: "password",
  current_password: "current_password",
  new_password: "new_password",
  role: "role",
  name: "category_name",
  slug: "slug",
  parent: "parent",
  published_at: "field_published_at",
  filename: "file_name",
  size: "file_size",
};

function words() {
  return WORDS[currentLanguage()] || WORDS["zh-CN"];
}

/** The codes this module words, per language (for the tests). */
export function wordedCodes() {
  return Object.fromEntries(Object.entries(WORDS).map(([lang, words]) => [lang, Object.keys(words)]));
}

/** "body[3].caption" -> "第 4 块的图片说明"; "title" -> "标题". */
export function fieldLabel(field) {
  if (!field) return t("this_field");
  const block = field.match(/^body\[(\d+)\](?:\.(\w+))?$/);
  if (block) {
    const part = block[2] ? t(FIELD_LABELS[block[2]] || "this_field") : t("block_generic");
    return t("block_field", { n: Number(block[1]) + 1, field: part });
  }
  const key = FIELD_LABELS[field.split(/[.[]/)[0]];
  return key ? t(key) : t("this_field");
}

const BY_STATUS = { 0: "network", 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict", 413: "body_too_large", 429: "too_many_attempts", 503: "unavailable" };

/** The code of an answer: the API's own, else one for its status. */
export function codeOf(status, body) {
  const code = body && body.code;
  if (code && words()[code]) return code;
  if (BY_STATUS[status]) return BY_STATUS[status];
  return status >= 500 ? "internal" : "invalid";
}

/** The words for `code` with the details a refusal carries (limits in MB, KB and 万像素). */
export function wordCode(code, details = {}) {
  const template = words()[code] ?? WORDS["zh-CN"][code] ?? words().internal;
  const limit = Number(details.limit) || 0;
  const params = {
    ...details,
    field: fieldLabel(details.field),
    mb: Math.round((limit / 1048576) * 10) / 10,
    kb: Math.round(limit / 1024),
    wan: Math.round(limit / 10000),
    megapixels: Math.round(limit / 100000) / 10,
  };
  return template.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

/** What an API refusal (status, JSON body) says to the editor. */
export function refusalText(status, body) {
  return wordCode(codeOf(status, body), body || {});
}

/** Why a photo was rejected, from its `reason_code` (and `limit`). */
export function photoReason(photo) {
  if (!photo) return "";
  return wordCode(words()[photo.reason_code] ? photo.reason_code : "photo_rejected", { limit: photo.limit });
}

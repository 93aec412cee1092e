// The common injection intents in other languages: Chinese, Japanese, Russian, Italian, Spanish,
// French, Portuguese, and German beyond what injection-rules.ts covers (plus a few English
// phrasings it lacks). The trained classifier has seen almost no text in these languages, so
// without them a translated injection passes. Patterns are matched on the gate's views (see
// text-views.ts): lower case, accents stripped from Latin letters (so "précédentes" is written
// "precedentes" here), and for Russian the view that keeps Cyrillic letters unfolded. Each intent
// has one weight whatever the language, close to the English rule's, so a translation scores like
// the original; an intent that ordinary questions also voice ("no data limit", "developer mode on
// my phone") stays under the review threshold on its own.
import type { InjectionSignal } from './injection-rules';

/** What a phrase asks for, with the weight and reason every language shares. */
const intents = {
  override: { weight: 0.9, reason: 'asks to override earlier instructions' },
  forgetAll: { weight: 0.8, reason: 'asks to forget everything before' },
  newTask: { weight: 0.55, reason: 'replaces the task' },
  systemPrompt: { weight: 0.5, reason: 'asks about the system prompt' },
  reveal: { weight: 0.6, reason: 'asks to reveal secrets' },
  youAreNow: { weight: 0.45, reason: 'tells the model it is now someone else' },
  rolePlay: { weight: 0.45, reason: 'role-play escape' },
  developerMode: { weight: 0.45, reason: 'asks for a developer or god mode' },
  jailbreak: { weight: 0.7, reason: 'known jailbreak phrase' },
  systemOverride: { weight: 0.5, reason: 'announces a system override' },
  noRestrictions: { weight: 0.45, reason: 'asks to answer without restrictions or filters' },
  bypassFilters: { weight: 0.5, reason: 'asks to get around safety filters' },
  safetyOff: { weight: 0.3, reason: 'declares the safety rules switched off' },
} as const;
type Intent = keyof typeof intents;
type Phrases = Partial<Record<Intent, string[]>>;

interface Language {
  name: string;
  /** Phrases are only tried on text with a character of this (the language's) script. */
  requires?: RegExp;
  phrases: Phrases;
}

/** Not preceded by a letter or digit of any script (`\b` only knows ASCII). */
const start = '(?<![\\p{L}\\p{N}])';
/** Not followed by a letter or digit of any script. */
const end = '(?![\\p{L}\\p{N}])';
/** Up to `n` characters within one sentence. */
const gap = (n: number) => `[^.!?。！？\\n]{0,${n}}`;
const any = (...alternatives: string[]) => `(?:${alternatives.join('|')})`;
/** `first`, then up to `n` characters, then `second` (Latin-script languages: any characters). */
const near = (first: string, n: number, second: string) => `${first}.{0,${n}}${second}`;
/** Whole words only. */
const words = (...alternatives: string[]) => `\\b${any(...alternatives)}\\b`;

// Chinese, simplified and traditional.
const zhIgnore = any('忽略', '忽視', '忽视', '无视', '無視', '不要理会', '不要理會', '别理会', '別理會', '别管', '別管',
  '抛开', '拋開', '抛弃', '拋棄', '放弃', '放棄', '忘记', '忘記', '忘掉', '跳过', '跳過', '覆盖', '覆蓋', '推翻', '撤销', '撤銷',
  '(?:不要再?|不再|别再|別再|停止)(?:遵守|遵循|听从|聽從|服从|服從|按照)');
const zhEarlier = any('之前', '以前', '先前', '此前', '上面', '上述', '前面', '早先', '原来', '原來', '原先', '原有', '所有', '全部',
  '一切', '你的', '您的', '开发者', '開發者', '安全');
const zhRules = any('指令', '指示', '说明', '說明', '规则', '規則', '提示', '命令', '要求', '设定', '設定', '限制', '约束', '約束',
  '准则', '準則', '规定', '規定', '守则', '守則', '政策', '设置', '設置', '程序设定', '程式設定', '编程', '編程');
const zhSetAside = any('放到一边', '放到一邊', '放在一边', '放在一邊', '搁置', '擱置', '丢掉', '丟掉');
const zhSecrets = any('系统提示', '系統提示', '初始提示', '原始提示', '隐藏的?指令', '隱藏的?指令', '隐藏的?提示', '隱藏的?提示',
  '系统指令', '系統指令', '设定的?指令', '秘密指令', '密码', '密碼', '密钥', '密鑰', '秘钥', '口令', '凭证', '憑證', '凭据', '憑據',
  '登录信息', '登錄信息', 'api ?key', '机密', '機密');
const zhSystemMessage = any('系统消息', '系統訊息', '系统信息', '系統信息', '机密指令', '機密指令', '内部指令', '內部指令',
  '机密的指示', '機密的指示', '内部的指示', '內部的指示');
const zhShow = any('显示', '顯示', '告诉', '告訴', '输出', '輸出', '打印', '列出', '泄露', '洩露', '泄漏', '透露', '重复', '重複',
  '给我看', '給我看', '说出', '說出', '复述', '複述', '展示', '公开', '公開', '揭示', '披露', '发给我', '發給我', '写出', '寫出');
const zhShowAfter = any('给我', '給我', '告诉我', '告訴我', '发给我', '發給我', '输出', '輸出', '显示出', '顯示出', '打印出',
  '列出来', '列出來', '说出来', '說出來');
const zhToldYou = any('被告知', '被告訴', '被要求', '别人告诉你', '別人告訴你', '跟你说', '跟你說', '对你说', '對你說');

const chinese: Phrases = {
  override: [`${zhIgnore}${gap(12)}${zhEarlier}${gap(10)}${zhRules}`,
    `${zhEarlier}${gap(10)}${zhRules}${gap(8)}${zhIgnore}`,
    `${any('把', '将', '將')}${gap(16)}${zhRules}${gap(6)}${zhSetAside}`],
  forgetAll: [`(?:^|[\\s,.!?，。！？：:]|请|請|你|现在|現在|先)(?:忘记|忘記|忘掉)${gap(14)}(?:一切|所有|全部)`,
    `${any('忽略', '忽視', '忽视', '无视', '無視', '忘记', '忘記', '忘掉')}${any('以上', '上面', '上述', '前面', '之前')}`,
    `${any('忽略', '忽視', '忽视', '无视', '無視', '忘记', '忘記', '忘掉', '抛开', '拋開', '放下')}${gap(6)}${zhToldYou}`],
  newTask: [any('你的新任务', '你的新任務', '新的任务是', '新的任務是', '你现在的任务是', '你現在的任務是',
    '新的?(?:指令|指示|任务|任務)[:：]')],
  systemPrompt: [any('系统提示词', '系統提示詞', '初始提示词', '初始提示詞', '隐藏的?提示', '隱藏的?提示', '隐藏的?指令', '隱藏的?指令',
    '原始提示词', '原始提示詞', '系统 ?prompt', '系統 ?prompt')],
  reveal: [`${zhShow}${gap(20)}${zhSecrets}`, `${zhSecrets}${gap(20)}${zhShowAfter}`,
    `(?:原样|原樣|逐字|一字不差地?)(?:重复|重複|复述|複述|输出|輸出)`,
    `${zhShow}${gap(16)}${zhSystemMessage}`, `${zhSystemMessage}${gap(16)}${zhShowAfter}`],
  youAreNow: [any('你现在是', '你現在是', '现在你是', '現在你是', '从现在(?:开始|起)[，,]?你(?:就)?是', '從現在(?:開始|起)[，,]?你(?:就)?是',
    '你将成为', '你將成為', '你已经不再是', '你已經不再是', '你不再是', '从此刻起', '從此刻起', '从此以后你', '從此以後你')],
  rolePlay: [any('扮演', '以[^。，,]{1,12}的身份(?:回答|回复|回覆|说话|說話)', '表现得像', '表現得像', '假装你是', '假裝你是', '假装成',
    '假裝成', '假装自己是', '假裝自己是', '充当', '充當', '角色扮演', '装作', '裝作')],
  developerMode: [any('开发者模式', '開發者模式', '开发人员模式', '開發人員模式', '上帝模式')],
  jailbreak: [any('越狱', '越獄')],
  systemOverride: [any('系统覆盖', '系統覆蓋', '系统越权', '系統越權')],
  noRestrictions: [
    any('没有任何限制', '沒有任何限制', '不受(?:任何)?限制', '无限制', '無限制', '没有限制', '沒有限制', '解除(?:所有)?限制',
      '取消(?:所有)?限制', '不受约束', '不受約束', '没有任何规则', '沒有任何規則', '没有规则', '沒有規則', '不受审查', '不受審查',
      '没有审查', '沒有審查', '无审查', '無審查', '不要有任何审查', '不要有任何審查', '不加(?:任何)?过滤', '不加(?:任何)?過濾',
      '没有内容政策', '沒有內容政策', '不经过滤', '不經過濾', '未经过滤', '未經過濾', '无过滤', '無過濾', '从不拒绝', '從不拒絕'),
    any('摆脱了?(?:所有的?|一切)?限制', '擺脫了?(?:所有的?|一切)?限制',
      '(?:无视|無視|忽略|忽視)(?:所有的?)?(?:内容政策|內容政策|安全准则|安全準則)'),
  ],
  bypassFilters: [`${any('绕过', '繞過', '规避', '規避', '避开', '避開', '突破')}${gap(8)}`
    + `${any('过滤', '過濾', '审查', '審查', '限制', '安全', '防护', '防護')}`],
  safetyOff: [`${any('安全', '防护', '防護', '审查', '審查', '过滤', '過濾')}${gap(6)}`
    + `${any('已关闭', '已關閉', '已禁用', '已停用', '已经关闭', '已經關閉', '已解除')}`],
};

// Japanese: the object usually comes before the verb ("以前の指示を無視して").
const jaEarlier = any('これまでの', '以前の', '以前に', '前の', '先の', '先ほどの', 'さっきの', '上記の', '上の', '今までの', '元の',
  '最初の', 'すべての', '全ての', 'あなたの', '与えられた', '受けた', '設定された');
const jaRules = any('指示', '命令', 'ルール', '指令', 'プロンプト', '設定', '制約', '規則', 'ガイドライン', '方針', 'ポリシー',
  'プログラム');
const jaIgnore = any('無視', 'むし', '忘れ', 'わすれ', '破棄', '取り消', '撤回', '上書き', '従わな', '守らな', '無効に', 'リセット',
  '従うのをやめ', '守るのをやめ');
const jaIgnoreNow = any('無視して', '無視しろ', '無視せよ', '無視しなさい', '忘れて', '忘れろ', '忘れなさい', '破棄して', '上書きして',
  '従わないで', '守らないで', '無効にして', '従うのをやめ', '守るのをやめ');
const jaSecrets = any('システムプロンプト', 'システム・プロンプト', '初期プロンプト', '最初のプロンプト', '元のプロンプト',
  '隠し(?:プロンプト|指示|命令)', '隠された(?:プロンプト|指示|命令)', '設定された[^。\\n]{0,4}指示', 'パスワード',
  '秘密の?(?:キー|鍵|情報)', '機密情報', 'apiキー', '認証情報', 'シークレット', 'システムメッセージ',
  '機密の?(?:指示|命令|情報)', '内部の?(?:指示|命令)');
const jaShow = any('見せ', '表示', '教え', '出力', '開示', '公開', '漏ら', '繰り返', '書き出', '言って', '印刷', '示し', '明かし',
  '明かせ', '共有');
const jaYou = any('あなたは', '君は', 'お前は');
const jaIs = any('です', 'だ', 'である', 'になり', 'になっ', 'として');

const japanese: Phrases = {
  override: [`${jaEarlier}${gap(14)}${jaRules}${gap(14)}${jaIgnore}`, `${jaRules}${gap(8)}${jaIgnoreNow}`,
    `${jaIgnore}${gap(4)}${jaEarlier}${gap(10)}${jaRules}`, `${jaRules}${gap(12)}${any('脇に置', 'わきに置', '捨て', '放棄')}`],
  forgetAll: [
    `${any('すべて', '全て', '全部', '今までのこと', 'これまでのこと', '以前のこと', '言われたこと')}${gap(10)}`
      + `${any('忘れて', '忘れろ', '忘れなさい')}`,
    `${any('上記', '以上', '上の(?:内容|文章|文)', 'これまでの(?:内容|文章|会話)')}(?:を|は)?(?:すべて|全て)?${any('無視', '忘れ')}`,
    `${any('言われたこと', '指示されたこと', '教えられたこと', '命じられたこと')}${gap(8)}${any('無視', '忘れ')}`,
  ],
  newTask: [any('新しい(?:タスク|任務|仕事|指示|役割|命令)[はが:：]', '新たな(?:タスク|指示|役割|命令)[はが:：]',
    'あなたの(?:新しい)?(?:タスク|任務)は')],
  systemPrompt: [any('システムプロンプト', 'システム・プロンプト', '初期プロンプト', '隠し(?:プロンプト|指示|命令)',
    '隠された(?:プロンプト|指示|命令)')],
  reveal: [`${jaSecrets}${gap(20)}${jaShow}`,
    `${any('何を言われ', '何と言われ', '何を指示され', '前に言われた', '前の(?:メッセージ|文章|指示)')}${gap(30)}`
      + `${any('繰り返', 'そのまま', '一字一句', '書き出', '出力')}`],
  youAreNow: [`${jaYou}${any('今から', 'これから', '今後', 'もう')}${gap(25)}${jaIs}`,
    `${any('今から', 'これから', '今後')}[、,]?${jaYou}${gap(25)}${jaIs}`,
    `${jaYou}${any('もう', 'もはや')}${gap(20)}${any('ではありません', 'ではない', 'じゃない')}`],
  rolePlay: [any('として振る舞', 'としてふるま', 'として(?:答え|回答|返答|応答)', 'のように振る舞', 'のふりをし', 'ふりをしろ',
    'になりきっ', 'になりきり', 'を演じ', 'ロールプレイ', 'として行動')],
  developerMode: [any('開発者モード', 'デベロッパーモード', 'ゴッドモード')],
  jailbreak: [any('脱獄', 'ジェイルブレイク', 'ジェイルブレーク')],
  systemOverride: ['システムオーバーライド'],
  noRestrictions: [any('制限なし', '制限のない', '制限がない', '制限を(?:解除|無視|外)', '一切の制限', '検閲なし', '検閲のない',
    '検閲や制限', 'フィルターなし', 'フィルタなし', 'フィルターのない', 'フィルタのない', 'フィルターを(?:外|解除)', '制約なし',
    'ルールのない', 'ルールなし', '制限から解放', '(?:決して|絶対に)[^。\\n]{0,10}(?:断らない|拒否しない)', 'コンテンツポリシーを無視')],
  bypassFilters: [`${any('フィルター', 'フィルタ', '安全', '制限', '検閲', 'ガードレール')}${gap(8)}`
    + `${any('回避', '迂回', '突破', 'すり抜け', 'くぐり抜け')}`],
  safetyOff: [`${any('安全', 'セーフティ', '検閲', 'フィルター')}${gap(8)}${any('オフ', '無効', '解除され', '停止')}`],
};

// Russian: imperative forms only, so "what if I ignore the rules?" is not an order to the model.
// The view matched keeps Cyrillic letters, with ё read as е (see text-views.ts).
const ruIgnore = any('игнорируй(?:те)?', 'проигнорируй(?:те)?', 'забудь(?:те)?', 'отбрось(?:те)?',
  'не обращай(?:те)? внимания', 'не учитывай(?:те)?', 'пренебреги(?:те)?', 'отмени(?:те)?', 'обойди(?:те)?',
  'перестань(?:те)? (?:следовать|соблюдать|выполнять)', 'не (?:следуй|подчиняйся|соблюдай|выполняй)(?:те)?');
const ruRules = any('инструкци', 'указани', 'правил', 'команд', 'подсказк', 'промпт', 'ограничени', 'директив',
  'установк',
  'распоряжени', 'рекомендаци', 'программ');
const ruShow = any('покажи', 'выведи', 'раскрой', 'напечатай', 'повтори', 'скажи', 'назови', 'расскажи', 'сообщи',
  'выдай',
  'открой', 'озвучь', 'перескажи', 'процитируй', 'напиши');
const ruSecrets = any('промпт',
  '(?:скрыт|системн|исходн|начальн|секретн|тво|сво)\\p{L}* (?:инструкци|указани|подсказк)',
  'парол', 'секрет', 'ключ', 'токен', 'учетн\\p{L}* данн', 'системн\\p{L}* сообщени',
  'конфиденциальн\\p{L}* (?:инструкци|указани)', 'внутренн\\p{L}* (?:инструкци|ключ)');

const russian: Phrases = {
  override: [`${start}${ruIgnore}${gap(60)}${ruRules}`, `${start}отлож(?:и|ите) (?:в сторону )?${gap(30)}${ruRules}`],
  forgetAll: [`${start}забудь(?:те)?\\s+(?:все|обо всем|про все)`,
    `${start}(?:игнорируй|проигнорируй|забудь)(?:те)?\\s+(?:все\\s+)?`
      + '(?:вышесказанное|вышеизложенное|сказанное выше|написанное выше|предыдущее)',
    `${start}${ruIgnore}\\s+(?:на )?(?:то,? )?что тебе (?:говорили|сказали|велели|написали|поручили)`],
  newTask: [`${start}(?:тво|ваш)\\p{L}* нов\\p{L}* (?:задач|рол|инструкци)`],
  systemPrompt: [`${start}(?:системн|исходн|скрыт|начальн)\\p{L}* (?:промпт|подсказк|инструкци)`],
  reveal: [`${start}${ruShow}\\p{L}*${gap(50)}${ruSecrets}`,
    `${start}что тебе (?:сказали|написали|велели)${gap(40)}[?.]?\\s*повтори`],
  youAreNow: [`${start}${any('теперь ты', 'ты теперь', 'отныне ты', 'с этого момента,? ты', 'ты больше не')}${end}`,
    `${start}(?:отвечай|будешь отвечать)\\s+(?:как|в роли|от имени)${end}`],
  rolePlay: [`${start}${any('представь(?:те)?,? что ты', 'притворись', 'притворитесь', 'веди(?:те)? себя как',
    'действуй(?:те)? как', 'играй роль', 'сыграй роль', 'выступай в роли', 'ролев\\p{L}* игр')}`],
  developerMode: [`${start}режим\\p{L}* (?:разработчика|бога)`],
  jailbreak: [`${start}(?:джейлбрейк|джейлбрейка|взлом\\p{L}* (?:ии|модели|ограничени))`],
  systemOverride: [`${start}системное переопределение`],
  noRestrictions: [
    `${start}(?:без (?:каких-либо |всяких |любых |никаких )?(?:ограничени|цензур|фильтр|правил)|никаких ограничени`
      + '|сними ограничени|снять ограничени|освобожд\\p{L}* от (?:всех |любых )?(?:ограничени|правил)'
      + '|никогда не отказыва)',
    `${start}(?:нет|не имеет|не имеешь) (?:вообще )?(?:никаких )?(?:правил|ограничений|фильтров)`,
  ],
  bypassFilters: [`${start}(?:обойти|обойди|обход)\\p{L}*\\s+(?:\\p{L}+\\s+)?(?:фильтр|ограничени|цензур|защит)`],
  safetyOff: [`${start}(?:защит|безопасност|цензур|фильтр)\\p{L}*${gap(20)}(?:отключ|выключ|снят)`],
};

// Italian.
const itIgnore = words('ignora', 'ignorate', 'ignorare', 'dimentica', 'dimenticate', 'dimenticare', 'trascura',
  'trascurate',
  'tralascia', 'non tenere conto', 'non tener conto', 'non considerare', 'scarta', 'annulla', 'annullate', 'disattendi',
  'non seguire piu', 'smetti di seguire', 'aggira', 'bypassa', 'mett(?:i|ete) da parte');
const itEarlier = words('precedent\\w*', 'prim[aei]', 'sopra', 'tutt[aei]', 'tu[aeo]', 'tuoi', 'la', 'le', 'il', 'i',
  'gli', 'delle',
  'qualsiasi', 'ogni', 'original\\w*', 'iniziali');
const itRules = words('istruzion\\w*', 'regol[ae]', 'indicazion\\w*', 'direttiv\\w*', 'prompt', 'comand\\w*',
  'ordin[ei]',
  'linee guida', 'vincoli', 'restrizion\\w*', 'impostazion\\w*', 'programmazione');
const itShow = words('mostra\\w*', 'rivela\\w*', 'stampa', 'ripeti', 'dimmi', 'svela\\w*', 'scrivi\\w*', 'elenca\\w*',
  'dammi',
  'riporta', 'copia', 'condividi');
const itSecrets = words('prompt',
  'istruzioni (?:di sistema|del sistema|nascoste|iniziali|segrete|riservate|interne|confidenziali)',
  'password', 'segret[oi]', 'chiav[ei] (?:api|segret\\w*)', 'credenziali', 'token', 'messaggio (?:di|del) sistema');

const italian: Phrases = {
  override: [near(itIgnore, 40, near(itEarlier, 40, itRules))],
  forgetAll: ['\\b(?:dimentica|dimenticate)\\s+(?:tutto|ogni cosa|quanto)\\b',
    '\\b(?:ignora|ignorate|dimentica|dimenticate)\\s+(?:tutto )?(?:quanto|cio che e|quello che e)\\s+(?:scritto '
      + '|detto )?'
      + '(?:sopra|prima)\\b',
    '\\b(?:ignora|ignorate|dimentica|dimenticate)\\s+(?:tutto )?(?:quello|cio|quanto) che ti (?:e|era'
      + '|hanno) (?:stato )?'
      + '(?:detto|scritto|ordinato)'],
  newTask: ['\\b(?:il tuo|tuo) nuovo (?:compito|incarico|ruolo)\\b|\\bnuove istruzioni\\s*:'],
  systemPrompt: ['\\bprompt (?:di|del) sistema\\b|\\bprompt (?:iniziale|nascosto|originale)\\b'
    + '|\\bistruzioni (?:nascoste|segrete)\\b'],
  reveal: [near(itShow, 40, itSecrets)],
  youAreNow: ["\\b(?:ora|adesso) sei\\b|\\b(?:da ora|da adesso|d'ora|da questo momento)(?: in poi)?,? (?:sei|tu sei)\\b"
    + '|\\bnon sei piu\\b'],
  rolePlay: ['\\b(?:fingi|fingete|fai finta|fate finta) (?:di essere|che)\\b|\\b(?:comportati|comportatevi|agisci'
    + '|agite) come\\b'
    + '|\\binterpreta(?:re)? il ruolo\\b|\\bgioco di ruolo\\b|\\bimmagina di essere\\b|\\brispond(?:i|erai) come\\b'],
  developerMode: ['\\bmodalita (?:sviluppatore|sviluppatori|developer|dio)\\b'],
  systemOverride: ['\\boverride di sistema\\b'],
  noRestrictions: ['\\bsenza (?:alcun[ao]? |nessun[ao]? )?(?:restrizion\\w*|limit\\w*|filtr\\w*|censur\\w*|regol\\w*'
    + '|vincol\\w*)\\b'
    + '|\\bliberat[oa] da (?:ogni|tutte le|qualsiasi) (?:limit\\w*|restrizion\\w*|regol\\w*)|\\bnon rifiut\\w* mai\\b'
    + '|\\bnon ha (?:nessuna|alcuna) (?:regol\\w*|restrizion\\w*|limit\\w*)\\b'],
  bypassFilters: [near(words('aggira\\w*', 'eludere', 'eludi', 'bypassa\\w*', 'scavalca\\w*'), 25,
    words('filtr\\w*', 'restrizion\\w*', 'censur\\w*', 'sicurezza'))],
  safetyOff: [near(words('sicurezza', 'filtr\\w*', 'censura'), 20, words('disattivat\\w*', 'spent\\w*',
    'disabilitat\\w*'))],
};

// Spanish.
const esIgnore = words('ignora', 'ignore', 'ignoren', 'ignorad', 'ignorar', 'olvida', 'olvide', 'olviden',
  'olvidate de', 'omite',
  'omita', 'descarta', 'descarte', 'desestima', 'pasa por alto', 'pase por alto', 'haz caso omiso', 'haga caso omiso',
  'no hagas caso', 'no haga caso', 'no sigas', 'deja de seguir', 'anula', 'anule', 'saltate', 'deja a un lado',
    'deje a un lado');
const esEarlier = words('anterior\\w*', 'previ[ao]s?', 'tod[ao]s?', 'tus?', 'sus?', 'las', 'los', 'el', 'la',
  'cualquier',
  'original\\w*', 'iniciales');
const esRules = words('instruccion\\w*', 'regla\\w*', 'indicacion\\w*', 'directriz', 'directrices', 'directiva\\w*',
  'orden\\w*',
  'comando\\w*', 'prompt\\w*', 'restriccion\\w*', 'pautas', 'normas', 'programacion');
const esShow = words('muestra\\w*', 'muestre\\w*', 'revela\\w*', 'revele\\w*', 'imprime', 'imprima', 'repite',
  'repita', 'dime',
  'digame', 'dame', 'deme', 'ensename', 'escribe', 'comparte', 'enumera');
const esSecrets = words('prompt',
  'instrucciones (?:del sistema|de sistema|ocultas|iniciales|secretas|confidenciales|internas|'
  + 'reservadas)', 'contrasena\\w*', 'secret[oa]s?', 'claves? (?:api|secret\\w*)', 'credenciales', 'token',
'mensaje (?:del|de) sistema');

const spanish: Phrases = {
  override: [near(esIgnore, 40, near(esEarlier, 40, esRules))],
  forgetAll: ['\\b(?:olvida|olvide|olviden|olvidate de)\\s+(?:todo|cualquier cosa)\\b',
    '\\b(?:ignora|ignore|olvida|olvide)\\s+(?:todo )?(?:lo anterior|lo de arriba|lo que (?:esta|dice) arriba)\\b',
    '\\b(?:ignora|ignore|olvida|olvide)\\s+(?:todo )?lo que te (?:dijeron|han dicho|habian dicho|indicaron'
      + '|ordenaron)\\b'],
  newTask: ['\\btu nueva (?:tarea|mision|funcion)\\b|\\bnuevas instrucciones\\s*:'],
  systemPrompt: ['\\bprompt (?:del|de) sistema\\b|\\bprompt (?:inicial|oculto|original)\\b'
    + '|\\binstrucciones (?:ocultas|secretas)\\b'],
  reveal: [near(esShow, 40, esSecrets)],
  youAreNow: ['\\bahora (?:eres|tu eres|seras)\\b|\\bya no eres\\b'
    + '|\\b(?:a partir de ahora|desde ahora|desde este momento|de ahora en adelante),? (?:eres|tu eres|seras)\\b'],
  rolePlay: ['\\b(?:finge|finja|fingi) (?:ser|que eres)\\b|\\b(?:actua|actue|comportate) como\\b'
    + '|\\binterpreta el papel\\b'
    + '|\\bjuego de rol\\b|\\bimagina que eres\\b|\\bhaz de cuenta que eres\\b|\\brespond(?:e|eras) como\\b'],
  developerMode: ['\\bmodo (?:de )?desarrollador\\b|\\bmodo dios\\b'],
  systemOverride: ['\\banulacion del sistema\\b'],
  noRestrictions: ['\\bsin (?:ningun[ao]? |alguna? |tipo de )?(?:restriccion\\w*|limite\\w*|limitacion\\w*|filtro\\w*'
    + '|censura\\w*'
    + '|regla\\w*)\\b|\\bliberad[oa] de (?:todas las|cualquier|toda) (?:limitacion\\w*|restriccion\\w*|regla\\w*)'
    + '|\\bnunca (?:rechaza|se niega)\\w*\\b|\\bno (?:tiene|tienes) (?:ninguna|ningun|ni una) (?:regla|restriccion'
    + '|limite|filtro)\\w*\\b'],
  bypassFilters: [near(words('eludir', 'elude', 'saltarse', 'saltate', 'sortea\\w*', 'burla\\w*'), 25,
    words('filtro\\w*', 'restriccion\\w*', 'censura', 'seguridad'))],
  safetyOff: [near(words('seguridad', 'filtro\\w*', 'censura'), 20, words('desactivad\\w*', 'apagad\\w*',
    'deshabilitad\\w*'))],
};

// French.
const frIgnore = words('ignore', 'ignorez', 'ignorer', 'oublie', 'oubliez', 'oublier', 'ne tiens pas compte',
  'ne tenez pas compte',
  'ne tiens plus compte', 'ne tenez plus compte', 'fais abstraction', 'faites abstraction', 'neglige', 'negligez',
    'contourne',
  'contournez', 'passe outre', 'passez outre', 'annule', 'annulez', 'ne suis plus', 'ne suivez plus',
    'arrete de suivre', 'arretez de suivre', 'mets de cote', 'mettez de cote');
const frEarlier = words('precedent\\w*', 'anterieur\\w*', 'tout\\w*', 'tes', 'vos', 'les', 'des', 'ci-dessus',
  'initial\\w*',
  'original\\w*', "d'avant", 'ta', 'ton', 'votre', 'le', 'la');
const frRules = words('instruction\\w*', 'consigne\\w*', 'regle\\w*', 'directive\\w*', 'indication\\w*', 'ordre\\w*',
  'commande\\w*',
  'prompt\\w*', 'restriction\\w*', 'programmation');
const frShow = words('montre', 'montrez', 'affiche', 'affichez', 'revele', 'revelez', 'imprime', 'imprimez', 'repete',
  'repetez',
  'dis-moi', 'dites-moi', 'donne-moi', 'donnez-moi', 'divulgue', 'divulguez', 'ecris', 'ecrivez', 'recopie', 'partage');
const frSecrets = words('prompt', 'invite systeme',
  'instructions (?:systeme|du systeme|cachees|initiales|secretes|confidentielles|'
  + 'internes)', 'mot de passe', 'secret\\w*', 'cles? (?:api|secrete\\w*)', 'identifiants', 'jeton',
    'message (?:du )?systeme');

const french: Phrases = {
  override: [near(frIgnore, 40, near(frEarlier, 40, frRules))],
  forgetAll: ['\\b(?:oublie|oubliez)\\s+(?:tout|tous)\\b',
    '\\b(?:ignore|ignorez|oublie|oubliez)\\s+(?:tout )?(?:ce qui precede|ce qui est (?:au-dessus|ci-dessus)'
      + '|ce qui a ete dit)\\b',
    "\\b(?:ignore|ignorez|oublie|oubliez)\\s+(?:tout )?ce qu(?:'on|e l'on) t'a (?:dit|demande|ordonne)\\b"],
  newTask: ['\\b(?:ta|votre) nouvelle (?:tache|mission|consigne|fonction)\\b|\\bnouvelles (?:instructions'
    + '|consignes)\\s*:'],
  systemPrompt: ["\\bprompt (?:systeme|du systeme|initial|cache|d'origine|original)\\b|\\binvite (?:systeme"
    + "|du systeme)\\b"
    + '|\\b(?:instructions|consignes) (?:cachees|secretes)\\b'],
  reveal: [near(frShow, 40, frSecrets)],
  youAreNow: ["\\b(?:tu es|vous etes) (?:maintenant|desormais|a present)\\b|\\b(?:tu n'es|vous n'etes) plus\\b"
    + '|\\b(?:maintenant|desormais|a partir de maintenant|dorenavant|a present),? (?:tu es|vous etes|tu seras'
    + '|vous serez)\\b'],
  rolePlay: ['\\b(?:fais|faites) semblant\\b|\\bfais comme si\\b|\\b(?:agis|agissez|comporte-toi'
    + '|comportez-vous) comme\\b'
    + '|\\bjouez? le role\\b|\\bjeu de role\\b|\\bimagine que tu es\\b|\\brepond(?:s|ras) en tant que\\b'],
  developerMode: ['\\bmode (?:developpeur|dieu)\\b'],
  systemOverride: ['\\bremplacement systeme\\b'],
  noRestrictions: ['\\bsans (?:aucune? |la moindre )?(?:restriction\\w*|limite\\w*|limitation\\w*|filtre\\w*'
    + '|censure\\w*|regle\\w*)\\b'
    + '|\\bliberee? de (?:toutes? les?|tout) (?:limit\\w*|restriction\\w*|regle\\w*)|\\bne refuse\\w* jamais\\b'
    + "|\\bn'(?:a|as) (?:aucune|pas de) (?:regle|restriction|limite|filtre)\\w*\\b"],
  bypassFilters: [near(words('contourne\\w*', 'esquive\\w*'), 25,
    words('filtre\\w*', 'restriction\\w*', 'censure', 'securite', 'moderation'))],
  safetyOff: [near(words('securite', 'filtre\\w*', 'censure'), 20, words('desactive\\w*', 'coupe\\w*'))],
};

// German, beyond injection-rules.ts (which reads umlauts; here they are stripped: "früheren" → "fruheren").
const deIgnore = words('missachte\\w*', 'ignorier\\w*', 'vergiss', 'vergesst', 'ubergehe', 'umgehe',
  'befolge nicht mehr',
  'halte dich nicht (?:mehr )?an');
const deEarlier = words('alle\\w*', 'deine\\w*', 'die', 'vorherige\\w*', 'bisherige\\w*', 'obige\\w*', 'fruhere\\w*',
  'ursprungliche\\w*');
// Not word-bounded at the start, so compounds count ("Sicherheitsrichtlinien").
const deRules = `${any('anweisung\\w*', 'regeln', 'richtlinie\\w*', 'direktive\\w*', 'vorgaben', 'befehl\\w*',
  'instruktion\\w*', 'programmierung')}\\b`;
const deRuleWords = words('anweisung\\w*', 'regeln', 'richtlinie\\w*', 'direktive\\w*', 'vorgaben');
const deShow = words('zeig\\w*', 'verrat\\w*', 'gib', 'nenne?', 'enthull\\w*', 'wiederhole', 'druck\\w*',
  'schreib\\w*', 'offenbare');
const deSecrets = any('\\w{0,40}prompt\\b', '\\bversteckte\\w* anweisung', '\\bgeheime\\w* anweisung',
  '\\bvertrauliche\\w* anweisung', '\\binterne\\w* anweisung', '\\w{0,40}passwort', '\\w{0,40}kennwort',
  '\\bgeheim\\w*',
  '\\bzugangsdaten\\b', '\\bschlussel\\b', '\\bapi-?(?:key|schlussel)\\b', 'systemnachricht');

const german: Phrases = {
  override: [near(deIgnore, 40, near(deEarlier, 40, deRules)),
    `${near('\\b(?:setze|setzt|setz)\\b', 40, deRuleWords)}.{0,20}\\b(?:außer|ausser) kraft\\b`,
    `${near('\\bleg\\w*\\b', 30, deRuleWords)}.{0,10}\\bbeiseite\\b`],
  forgetAll: ['\\b(?:ignorier\\w*|vergiss)\\s+(?:das oben gesagte|alles (?:oben|bisherige|vorherige)|das obige'
    + '|alles davor)\\b',
    '\\b(?:ignorier\\w*|vergiss)\\b,?\\s+was (?:man )?dir\\b.{0,20}\\b(?:gesagt|aufgetragen|befohlen)\\b'],
  systemPrompt: ['\\b(?:systemprompt|system-prompt|systemanweisung\\w*|systemnachricht)\\b'
    + '|\\b(?:versteckte\\w*|geheime\\w*|ursprungliche\\w*|anfangliche\\w*|initiale\\w*) (?:prompt|anweisung\\w*)\\b'],
  reveal: [near(deShow, 50, deSecrets)],
  rolePlay: ['\\b(?:verhalte dich|verhaltet euch)\\b.{0,20}\\bwie\\b|\\b(?:agiere|handle) als\\b'],
  developerMode: ['\\b(?:entwicklermodus|entwickler-modus|developer-modus|gottmodus)\\b'],
  systemOverride: ['\\bsystem-?override\\b'],
  noRestrictions: ['\\b(?:ohne|keinerlei|keine) (?:jegliche\\w* |jede\\w* |irgendwelche\\w* )?(?:einschrankung\\w*'
    + '|beschrankung\\w*'
    + '|zensur|filter\\w*|regeln|grenzen)\\b|\\buneingeschrankt\\w*\\b|\\bungefiltert\\w*\\b'
    + '|\\bvon (?:allen|jeglichen) (?:einschrankungen|beschrankungen|regeln) befreit\\b'
    + '|\\bniemals\\b.{0,30}\\bablehnt\\b'],
  bypassFilters: ['\\b(?:umgeh\\w*|aushebel\\w*)\\b.{0,25}(?:filter|einschrankung|zensur|sicherheit)'
    + '|(?:filter|einschrankung\\w*|zensur|sicherheit\\w*)\\b.{0,20}\\b(?:umgeht|umgehen|aushebelt|aushebeln)\\b'],
  safetyOff: [near(words('sicherheit\\w*', 'filter', 'zensur'), 20,
    '\\b(?:ist|sind) (?:jetzt |nun )?(?:aus|deaktiviert|abgeschaltet)\\b')],
};

// Portuguese.
const ptIgnore = words('ignore', 'ignora', 'ignorem', 'ignorar', 'esqueca', 'esquecam', 'esquece', 'esquecer',
  'desconsidere',
  'desconsidera', 'desconsiderem', 'descarte', 'descarta', 'despreze', 'despreza',
    'nao (?:considere|siga|obedeca|respeite)',
  'deixe de seguir', 'pare de seguir', 'anule', 'anula', 'contorne', 'deixe de lado', 'deixa de lado');
const ptEarlier = words('anterior\\w*', 'previ[ao]s?', 'tod[ao]s?', 'suas?', 'seus?', 'tuas?', 'teus?', 'as', 'os',
  'o', 'a',
  'quaisquer', 'original\\w*', 'acima', 'iniciais');
const ptRules = words('instruc\\w*', 'regra\\w*', 'orientac\\w*', 'diretriz\\w*', 'diretivas?', 'ordens',
  'comando\\w*', 'prompt\\w*',
  'restric\\w*', 'normas', 'programacao');
const ptShow = words('mostre', 'mostra', 'revele', 'revela', 'imprima', 'imprime', 'repita', 'repete', 'diga', 'me de',
  'exiba',
  'escreva', 'compartilhe', 'conte', 'liste');
const ptSecrets = words('prompt',
  'instrucoes (?:do sistema|de sistema|ocultas|iniciais|secretas|confidenciais|internas)',
  'senha\\w*', 'segredo\\w*', 'chaves? (?:de )?(?:api|secreta\\w*)', 'credenciais', 'token',
    'mensagem (?:do|de) sistema');

const portuguese: Phrases = {
  override: [near(ptIgnore, 40, near(ptEarlier, 40, ptRules))],
  forgetAll: ['\\b(?:esqueca|esquecam|esquece)\\s+(?:tudo|todas as|todos os)\\b',
    '\\b(?:ignore|ignora|esqueca)\\s+(?:tudo )?(?:o que esta acima|o anterior|tudo acima|o que foi dito)\\b',
    '\\b(?:ignore|ignora|esqueca|esquece)\\s+(?:tudo )?o que (?:lhe|te) (?:disseram|foi dito|mandaram|pediram)\\b'],
  newTask: ['\\b(?:sua|tua) nova (?:tarefa|missao|funcao)\\b|\\bnovas instrucoes\\s*:'],
  systemPrompt: ['\\bprompt (?:do|de) sistema\\b|\\bprompt (?:inicial|oculto|original)\\b|\\binstrucoes (?:ocultas'
    + '|secretas)\\b'],
  reveal: [near(ptShow, 40, ptSecrets)],
  youAreNow: ['\\bagora (?:voce e|voce sera|tu es)\\b|\\bvoce agora e\\b|\\bvoce nao e mais\\b|\\bja nao es\\b'
    + '|\\b(?:a partir de agora|de agora em diante|daqui em diante),? (?:voce e|voce sera|tu es|seras)\\b'],
  rolePlay: ['\\b(?:finja|finge|fingir) (?:ser|que (?:e|voce e|es))\\b|\\b(?:aja|age|atue|comporte-se'
    + '|se comporte) como\\b'
    + '|\\b(?:interprete|faca) o papel\\b|\\bimagine que voce e\\b|\\brespond(?:a|era) como\\b'],
  developerMode: ['\\bmodo (?:de )?desenvolvedor\\b|\\bmodo deus\\b'],
  systemOverride: ['\\bsubstituicao do sistema\\b'],
  noRestrictions: ['\\bsem (?:nenhuma? |qualquer |quaisquer )?(?:restric\\w*|limit\\w*|filtro\\w*|censura\\w*'
    + '|regra\\w*)\\b'
    + '|\\blibertad[oa] de (?:todas as|qualquer|toda) (?:limitac\\w*|restric\\w*|regra\\w*)|\\bnunca recusa\\w*\\b'
    + '|\\bnao tem (?:nenhuma|qualquer) (?:regra|restric|limit|filtro)\\w*\\b'],
  bypassFilters: [near(words('burlar', 'burle', 'contornar', 'contorne', 'driblar'), 25,
    words('filtro\\w*', 'restric\\w*', 'censura', 'seguranca'))],
  safetyOff: [near(words('seguranca', 'filtro\\w*', 'censura'), 20, words('desligad\\w*', 'desativad\\w*'))],
};

// English phrasings that injection-rules.ts does not name.
const english: Phrases = {
  override: ['\\b(?:set|put|lay) aside\\b.{0,30}\\b(?:instructions?|rules|directives?|guidelines|prompts?)\\b'],
  forgetAll: ["\\bignore (?:everything |all |what(?: i|')?s? )?(?:the )?(?:above|before this|preceding|said before)\\b",
    "\\b(?:ignore|disregard|forget)\\s+(?:everything |anything |all |what )(?:that )?(?:you(?:'ve| have| were| had)? "
      + '(?:been )?)(?:told|given|instructed|taught)\\b'],
  reveal: ['\\b(?:output|print|show|display|reveal|repeat|write|list)\\b.{0,40}\\b(?:system message|(?:confidential'
    + '|internal|'
    + 'secret|hidden) (?:instructions|rules|prompt|configuration))\\b'],
  systemOverride: ['\\bsystem override\\b'],
  noRestrictions: ['\\b(?:unrestricted|no content polic(?:y|ies)|without (?:any )?(?:content )?polic(?:y|ies))\\b'
    + '|\\bfreed from (?:all |any |your )*(?:limitations|restrictions|rules|constraints)\\b|\\bno longer bound by\\b'
    + '|\\bnever refuses?\\b|\\bno (?:censorship|filters?|guardrails)\\b'],
  bypassFilters: ['\\b(?:bypass\\w*|circumvent\\w*|get around|evade|evading)\\b.{0,25}\\b(?:content filter\\w*'
    + '|safety filter\\w*'
    + '|filters?|guardrails?|censorship|moderation|safety (?:rules|guidelines|measures))\\b'],
  safetyOff: ['\\b(?:safety|filters?|guardrails|censorship|moderation)\\b.{0,20}\\b(?:is|are) (?:now )?(?:off'
    + '|disabled|deactivated)\\b'],
};

const languages: readonly Language[] = [
  { name: 'Chinese', requires: /\p{Script=Han}/u, phrases: chinese },
  { name: 'Japanese', requires: /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u, phrases: japanese },
  { name: 'Russian', requires: /\p{Script=Cyrillic}/u, phrases: russian },
  { name: 'Italian', phrases: italian },
  { name: 'Spanish', phrases: spanish },
  { name: 'French', phrases: french },
  { name: 'German', phrases: german },
  { name: 'Portuguese', phrases: portuguese },
  { name: 'English', phrases: english },
];

/** A signal of one language; `requires` says which text it can match at all, so the rest are skipped. */
export interface MultilingualSignal extends InjectionSignal {
  requires?: RegExp;
}

/** The signals of every language, one per (language, intent, phrase). */
export const multilingualSignals: readonly MultilingualSignal[] = languages.flatMap((language) =>
  (Object.entries(language.phrases) as [Intent, string[]][]).flatMap(([intent, patterns]) =>
    patterns.map((pattern) => ({
      pattern: new RegExp(pattern, 'u'),
      weight: intents[intent].weight,
      // English phrases fill gaps in injection-rules.ts and read like its reasons.
      reason: language.name === 'English' ? intents[intent].reason : `${intents[intent].reason} (${language.name})`,
      ...(language.requires ? { requires: language.requires } : {}),
    }))));

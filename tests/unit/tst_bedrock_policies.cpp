// Backend AI policies (spec.policies.ai): defaults/overrides, aliases, prompt guard, cache points, guardrail.
#include "providers/bedrock/converse/AiPolicies.h"
#include "providers/bedrock/converse/ResponseGuard.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry::bedrock;

class TestPolicies : public QObject
{
    Q_OBJECT

private slots:
    void defaultsOnlyWhenAbsentOverridesAlways();
    void modelAliases();
    void promptGuardMasksBuiltins();
    void promptGuardRejects();
    void promptGuardCustomPattern();
    void responseGuardHoldsTextUntilTheBlockEnds();
    void badPolicyIsAnError();
    void cachePointsForSupportedModels();
    void noCachePointsForOtherModelsOrShortPrompts();
    void cachePointsRespectTheLimitAndEmptyLists();
    void guardrailConfig();
    void jsonTextIsEditedOnlyByPoliciesThatAreSet();
};

namespace {

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

AiPolicies policies(const char *ai)
{
    auto parsed = AiPolicies::parse(json(ai));
    if (!parsed.ok())
        qWarning("%s", qPrintable(parsed.error()));
    return parsed.ok() ? parsed.value() : AiPolicies{};
}

// A Converse body whose prompt is long enough for the default minTokens (1024).
QJsonObject longConverse()
{
    const QString longText = QString(u"word "_s).repeated(1200);
    return QJsonObject{
        {u"system"_s, QJsonArray{QJsonObject{{u"text"_s, longText}}}},
        {u"toolConfig"_s, json(R"({"tools":[{"toolSpec":{"name":"t","inputSchema":{"json":{"type":"object"}}}}]})")},
        {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, QJsonArray{QJsonObject{{u"text"_s, u"q1"_s}}}}},
                                   QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, QJsonArray{QJsonObject{{u"text"_s, u"a1"_s}}}}},
                                   QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, QJsonArray{QJsonObject{{u"text"_s, u"q2"_s}}}}}}}};
}

const QJsonObject kCachePoint{{u"cachePoint"_s, QJsonObject{{u"type"_s, u"default"_s}}}};

} // namespace

void TestPolicies::defaultsOnlyWhenAbsentOverridesAlways()
{
    const AiPolicies ai = policies(R"({"defaults":[{"field":"temperature","value":"0.5"},{"field":"max_tokens","value":100},
                                                   {"field":"system","value":"answer in French"}],
                                       "overrides":[{"field":"top_p","value":0.9},{"field":"tags","value":["a","b"]}]})");
    QJsonObject request = json(R"({"temperature":0.1,"top_p":0.2,"max_tokens":null})");
    ai.applyDefaultsAndOverrides(request);
    QCOMPARE(request[u"temperature"].toDouble(), 0.1);             // client's value kept
    QCOMPARE(request[u"max_tokens"].toInt(), 100);                 // null counts as absent
    QCOMPARE(request[u"system"].toString(), u"answer in French"_s); // a plain string stays a string
    QCOMPARE(request[u"top_p"].toDouble(), 0.9);                   // overridden
    QCOMPARE(request[u"tags"].toArray(), (QJsonArray{u"a"_s, u"b"_s}));
    QJsonObject empty;
    ai.applyDefaultsAndOverrides(empty);
    QCOMPARE(empty[u"temperature"].toDouble(), 0.5); // "0.5" in YAML means the number
}

void TestPolicies::modelAliases()
{
    const AiPolicies ai = policies(R"({"modelAliases":{"fast":"amazon.nova-micro-v1:0"}})");
    QCOMPARE(ai.resolveModelAlias(u"fast"_s), u"amazon.nova-micro-v1:0"_s);
    QCOMPARE(ai.resolveModelAlias(u"other"_s), u"other"_s);
}

void TestPolicies::promptGuardMasksBuiltins()
{
    const AiPolicies ai = policies(
        R"({"promptGuard":{"request":[{"regex":{"builtins":["Ssn","CreditCard","Email","PhoneNumber","CaSin"]}}]}})");
    QJsonObject converse = json(R"({"system":[{"text":"mail admin@example.com"}],"messages":[
        {"role":"user","content":[{"text":"SSN 123-45-6789, card 4111 1111 1111 1111, mail bob@example.org"}]},
        {"role":"assistant","content":[{"text":"call 555-123-4567"}]},
        {"role":"user","content":[{"toolResult":{"toolUseId":"t","content":[{"text":"phone (555) 123-4567, SIN 046 454 286"}]}}]}]})");
    QVERIFY(!ai.guardRequest(converse).has_value());
    QCOMPARE(converse[u"messages"][0][u"content"][0][u"text"].toString(),
             u"SSN <SSN>, card <CREDIT_CARD>, mail <EMAIL_ADDRESS>"_s);
    QCOMPARE(converse[u"messages"][2][u"content"][0][u"toolResult"][u"content"][0][u"text"].toString(),
             u"phone <PHONE_NUMBER>, SIN <CA_SIN>"_s);
    // Every text the model reads is guarded: assistant turns and the system prompt too.
    QCOMPARE(converse[u"messages"][1][u"content"][0][u"text"].toString(), u"call <PHONE_NUMBER>"_s);
    QCOMPARE(converse[u"system"][0][u"text"].toString(), u"mail <EMAIL_ADDRESS>"_s);
}

void TestPolicies::promptGuardRejects()
{
    const AiPolicies ai = policies(R"({"promptGuard":{"request":[{"regex":{"action":"Reject","builtins":["Ssn"]}}]}})");
    QJsonObject clean = json(R"({"messages":[{"role":"user","content":[{"text":"hello 12-34"}]}]})");
    QVERIFY(!ai.guardRequest(clean).has_value());
    QJsonObject converse = json(R"({"messages":[{"role":"user","content":[{"text":"my ssn is 123-45-6789"}]}]})");
    const auto rejection = ai.guardRequest(converse);
    QVERIFY(rejection.has_value());
    QCOMPARE(rejection->statusCode, 403);
    // A Reject rule sees what a client puts in the system prompt or an assistant turn as well.
    QJsonObject inSystem = json(R"({"system":[{"text":"ssn 123-45-6789"}],"messages":[{"role":"user","content":[{"text":"hi"}]}]})");
    QVERIFY(ai.guardRequest(inSystem).has_value());
    QJsonObject inAssistant = json(R"({"messages":[{"role":"assistant","content":[{"text":"ssn 123-45-6789"}]}]})");
    QVERIFY(ai.guardRequest(inAssistant).has_value());
    QVERIFY2(rejection->message.contains(u"Ssn"_s), qPrintable(rejection->message));

    const AiPolicies custom = policies(R"({"promptGuard":{"request":[{"regex":{"action":"Reject","builtins":["Email"]},
                                            "response":{"message":"no emails","statusCode":400}}]}})");
    QJsonObject email = json(R"({"messages":[{"role":"user","content":[{"text":"a@b.io"}]}]})");
    const auto customRejection = custom.guardRequest(email);
    QVERIFY(customRejection.has_value());
    QCOMPARE(customRejection->statusCode, 400);
    QCOMPARE(customRejection->message, u"no emails"_s);
}

void TestPolicies::promptGuardCustomPattern()
{
    const AiPolicies ai = policies(R"({"promptGuard":{"request":[{"regex":{"action":"Mask","matches":["project-[a-z]+"]}}],
                                                      "response":[{"regex":{"builtins":["Email"]}}]}})");
    QJsonObject converse = json(R"({"messages":[{"role":"user","content":[{"text":"about project-falcon now"}]}]})");
    QVERIFY(!ai.guardRequest(converse).has_value());
    QCOMPARE(converse[u"messages"][0][u"content"][0][u"text"].toString(), u"about <MASKED> now"_s);
    QJsonObject answer = json(R"({"output":{"message":{"role":"assistant","content":[{"text":"write to x@y.com"}]}}})");
    QVERIFY(!ResponseGuard(ai.responseGuard()).guardAnswer(answer).has_value());
    QCOMPARE(answer[u"output"][u"message"][u"content"][0][u"text"].toString(), u"write to <EMAIL_ADDRESS>"_s);
}

// A pattern split across deltas is caught: text is released per content block, masked; tool input
// deltas pass at once; a Reject rule stops everything after it.
void TestPolicies::responseGuardHoldsTextUntilTheBlockEnds()
{
    const AiPolicies masking = policies(R"({"promptGuard":{"response":[{"regex":{"builtins":["Ssn"]}}]}})");
    ResponseGuard guard(masking.responseGuard());
    QVERIFY(guard.onEvent(u"contentBlockDelta"_s, R"({"contentBlockIndex":0,"delta":{"text":"it is 123-4"}})"_ba).isEmpty());
    QVERIFY(guard.onEvent(u"contentBlockDelta"_s, R"({"contentBlockIndex":0,"delta":{"text":"5-6789."}})"_ba).isEmpty());
    const auto tool = guard.onEvent(u"contentBlockDelta"_s,
                                    R"({"contentBlockIndex":1,"delta":{"toolUse":{"input":"{}"}}})"_ba);
    QCOMPARE(tool.size(), 1);
    const auto released = guard.onEvent(u"contentBlockStop"_s, R"({"contentBlockIndex":0})"_ba);
    QCOMPARE(released.size(), 2);
    QCOMPARE(released[0].type, u"contentBlockDelta"_s);
    QCOMPARE(QJsonDocument::fromJson(released[0].payload)[u"delta"][u"text"].toString(), u"it is <SSN>."_s);
    QCOMPARE(released[1].type, u"contentBlockStop"_s);
    QCOMPARE(guard.onEvent(u"messageStop"_s, R"({"stopReason":"end_turn"})"_ba).size(), 1);

    const AiPolicies rejecting =
        policies(R"({"promptGuard":{"response":[{"regex":{"action":"Reject","builtins":["Ssn"]}}]}})");
    ResponseGuard refusal(rejecting.responseGuard());
    refusal.onEvent(u"contentBlockDelta"_s, R"({"contentBlockIndex":0,"delta":{"text":"123-45-6789"}})"_ba);
    QVERIFY(refusal.onEvent(u"contentBlockStop"_s, R"({"contentBlockIndex":0})"_ba).isEmpty());
    QVERIFY(refusal.rejection().has_value());
    QVERIFY2(refusal.rejection()->message.contains(u"answer"_s), qPrintable(refusal.rejection()->message));
    QVERIFY(refusal.onEvent(u"messageStop"_s, R"({"stopReason":"end_turn"})"_ba).isEmpty());
}

void TestPolicies::badPolicyIsAnError()
{
    QVERIFY(!AiPolicies::parse(json(R"({"promptGuard":{"request":[{"regex":{"action":"Drop"}}]}})")).ok());
    QVERIFY(!AiPolicies::parse(json(R"({"promptGuard":{"request":[{"regex":{"builtins":["Passport"]}}]}})")).ok());
    const char *unclosed = "{\"promptGuard\":{\"request\":[{\"regex\":{\"matches\":[\"[unclosed\"]}}]}}";
    QVERIFY(!AiPolicies::parse(json(unclosed)).ok());
    QVERIFY(!AiPolicies::parse(json(R"({"defaults":[{"value":1}]})")).ok());
    const auto webhook = AiPolicies::parse(json(R"({"promptGuard":{"request":[{"webhook":{}}]}})"));
    QVERIFY(webhook.ok());
    QCOMPARE(webhook->unsupportedGuards(), QStringList{u"promptGuard.request[0].webhook"_s});
}

void TestPolicies::cachePointsForSupportedModels()
{
    const AiPolicies ai = policies(R"({"promptCaching":{"cacheTools":true}})");
    QJsonObject converse = longConverse();
    ai.addCachePoints(converse, u"us.anthropic.claude-3-7-sonnet-20250219-v1:0"_s);
    QCOMPARE(converse[u"system"].toArray().last().toObject(), kCachePoint);
    QCOMPARE(converse[u"toolConfig"][u"tools"].toArray().last().toObject(), kCachePoint);
    QCOMPARE(converse[u"messages"][2][u"content"].toArray().size(), 2);
    QCOMPARE(converse[u"messages"][2][u"content"][1].toObject(), kCachePoint);
    QCOMPARE(converse[u"messages"][0][u"content"].toArray().size(), 1); // only the last user turn

    // Nova takes cache points in system and messages, not among tools.
    QJsonObject nova = longConverse();
    ai.addCachePoints(nova, u"amazon.nova-pro-v1:0"_s);
    QCOMPARE(nova[u"system"].toArray().last().toObject(), kCachePoint);
    QCOMPARE(nova[u"toolConfig"][u"tools"].toArray().size(), 1);
    // Applying twice does not add a second point in a row.
    const QJsonObject once = nova;
    ai.addCachePoints(nova, u"amazon.nova-pro-v1:0"_s);
    QCOMPARE(nova, once);
}

void TestPolicies::noCachePointsForOtherModelsOrShortPrompts()
{
    const AiPolicies ai = policies(R"({"promptCaching":{}})");
    QJsonObject titan = longConverse();
    ai.addCachePoints(titan, u"amazon.titan-text-lite-v1"_s);
    QCOMPARE(titan, longConverse());
    QJsonObject claude2 = longConverse();
    ai.addCachePoints(claude2, u"anthropic.claude-v2"_s);
    QCOMPARE(claude2, longConverse());
    const QJsonObject shortPrompt = json(R"({"messages":[{"role":"user","content":[{"text":"hi"}]}]})");
    QJsonObject converse = shortPrompt;
    ai.addCachePoints(converse, u"anthropic.claude-sonnet-4-20250514-v1:0"_s);
    QCOMPARE(converse, shortPrompt);
    // No promptCaching policy: nothing.
    QJsonObject unconfigured = longConverse();
    AiPolicies().addCachePoints(unconfigured, u"anthropic.claude-sonnet-4-20250514-v1:0"_s);
    QCOMPARE(unconfigured, longConverse());
}

void TestPolicies::cachePointsRespectTheLimitAndEmptyLists()
{
    const AiPolicies ai = policies(R"({"promptCaching":{"cacheTools":true,"minTokens":0}})");
    // No system blocks and no tools: no cache point may go into an empty list.
    QJsonObject converse = json(R"({"messages":[{"role":"user","content":[{"text":"hi"}]}]})");
    ai.addCachePoints(converse, u"anthropic.claude-3-5-haiku-20241022-v1:0"_s);
    QVERIFY(!converse.contains(u"system"_s));
    QVERIFY(!converse.contains(u"toolConfig"_s));
    QCOMPARE(converse[u"messages"][0][u"content"][1].toObject(), kCachePoint);
    // Three points already there: only one more fits (Bedrock allows 4).
    QJsonObject full = longConverse();
    QJsonArray first = full[u"messages"][0][u"content"].toArray();
    first.append(kCachePoint);
    first.append(QJsonObject{{u"text"_s, u"x"_s}});
    first.append(kCachePoint);
    first.append(QJsonObject{{u"text"_s, u"y"_s}});
    first.append(kCachePoint);
    first.append(QJsonObject{{u"text"_s, u"z"_s}});
    QJsonArray messages = full[u"messages"].toArray();
    QJsonObject message = messages[0].toObject();
    message[u"content"_s] = first;
    messages[0] = message;
    full[u"messages"_s] = messages;
    ai.addCachePoints(full, u"anthropic.claude-opus-4-1-20250805-v1:0"_s);
    QCOMPARE(full[u"system"].toArray().last().toObject(), kCachePoint);
    QVERIFY(full[u"toolConfig"][u"tools"].toArray().last().toObject() != kCachePoint);
}

void TestPolicies::guardrailConfig()
{
    QJsonObject converse = json(R"({"messages":[]})");
    AiPolicies::applyGuardrail(converse, u"gr-123"_s, u"2"_s);
    QCOMPARE(converse[u"guardrailConfig"].toObject(),
             json(R"({"guardrailIdentifier":"gr-123","guardrailVersion":"2"})"));
    QJsonObject untouched = json(R"({"messages":[]})");
    AiPolicies::applyGuardrail(untouched, {}, {});
    QVERIFY(!untouched.contains(u"guardrailConfig"_s));
}

// The gateway holds a translated Converse body as JSON text: each policy reads it back only when
// the backend sets it, and does to it what it does to Qt JSON.
void TestPolicies::jsonTextIsEditedOnlyByPoliciesThatAreSet()
{
    const QByteArray sent =
        R"({"messages": [{"role": "user", "content": [{"text": "my ssn is 123-45-6789"}]}]})"_ba;
    const QString claude = u"anthropic.claude-3-5-haiku-20241022-v1:0"_s;
    QByteArray untouched = sent;
    const AiPolicies none;
    QVERIFY(!none.preparePrompt(untouched));
    none.addCachePointsAndGuardrail(untouched, claude, {}, {});
    QCOMPARE(untouched, sent); // not even rewritten
    // A provider's guardrail applies without any policy of the backend's.
    QByteArray guardrailOnly = sent;
    none.addCachePointsAndGuardrail(guardrailOnly, claude, u"gr-2"_s, u"1"_s);
    QCOMPARE(QJsonDocument::fromJson(guardrailOnly)[u"guardrailConfig"][u"guardrailIdentifier"].toString(),
             u"gr-2"_s);

    const AiPolicies guard =
        policies(R"({"promptGuard":{"request":[{"regex":{"action":"Reject","builtins":["Ssn"]}}]}})");
    QByteArray guarded = sent;
    const auto rejection = guard.preparePrompt(guarded);
    QVERIFY(rejection.has_value());
    QCOMPARE(rejection->statusCode, 403);

    const AiPolicies prompt = policies(R"({"prompt":{"append":[{"role":"user","content":"appended"}]},
                                           "promptCaching":{"minTokens":0}})");
    QByteArray edited = sent;
    QVERIFY(!prompt.preparePrompt(edited));
    prompt.addCachePointsAndGuardrail(edited, claude, u"gr-1"_s, u"3"_s);
    QJsonObject expected = json(sent.constData());
    QVERIFY(!prompt.preparePrompt(expected));
    prompt.addCachePoints(expected, claude);
    AiPolicies::applyGuardrail(expected, u"gr-1"_s, u"3"_s);
    QCOMPARE(QJsonDocument::fromJson(edited).object(), expected);
    QVERIFY2(edited.contains("appended") && edited.contains("cachePoint") && edited.contains("gr-1"),
             edited.constData());
}

QTEST_GUILESS_MAIN(TestPolicies)
#include "tst_bedrock_policies.moc"

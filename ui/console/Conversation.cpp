// The JSON form of a conversation: {"version":1,"id":…,"title":…,"turns":[…]}.
#include "console/Conversation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

constexpr qsizetype kTitleLength = 60;

QJsonObject turnToJson(const ConversationTurn &turn)
{
    QJsonObject object{{u"role"_s, turn.role}, {u"text"_s, turn.text}};
    if (!turn.reasoning.isEmpty())
        object.insert(u"reasoning"_s, turn.reasoning);
    QJsonArray calls;
    for (const auto &call : turn.toolCalls)
        calls.append(
            QJsonObject{{u"id"_s, call.id}, {u"name"_s, call.name}, {u"arguments"_s, call.arguments}});
    if (!calls.isEmpty())
        object.insert(u"toolCalls"_s, calls);
    QJsonArray results;
    for (const auto &result : turn.toolResults)
        results.append(QJsonObject{{u"toolCallId"_s, result.toolCallId}, {u"content"_s, result.content}});
    if (!results.isEmpty())
        object.insert(u"toolResults"_s, results);
    if (!turn.images.isEmpty())
        object.insert(u"images"_s, QJsonArray::fromStringList(turn.images));
    if (!turn.stats.isEmpty())
        object.insert(u"stats"_s, turn.stats);
    return object;
}

ConversationTurn turnFromJson(const QJsonObject &object)
{
    ConversationTurn turn;
    turn.role = object.value("role"_L1).toString();
    turn.text = object.value("text"_L1).toString();
    turn.reasoning = object.value("reasoning"_L1).toString();
    for (const QJsonValue &value : object.value("toolCalls"_L1).toArray()) {
        const QJsonObject call = value.toObject();
        turn.toolCalls.append({call.value("id"_L1).toString(), call.value("name"_L1).toString(),
                               call.value("arguments"_L1).toString()});
    }
    for (const QJsonValue &value : object.value("toolResults"_L1).toArray()) {
        const QJsonObject result = value.toObject();
        turn.toolResults.append(
            {result.value("toolCallId"_L1).toString(), result.value("content"_L1).toString()});
    }
    for (const QJsonValue &value : object.value("images"_L1).toArray())
        turn.images.append(value.toString());
    turn.stats = object.value("stats"_L1).toString();
    return turn;
}

} // namespace

QByteArray Conversation::toJson() const
{
    QJsonArray turnArray;
    for (const ConversationTurn &turn : turns)
        turnArray.append(turnToJson(turn));
    const QJsonObject object{{u"version"_s, FormatVersion},
                             {u"id"_s, id},
                             {u"title"_s, title},
                             {u"created"_s, created.toString(Qt::ISODateWithMs)},
                             {u"updated"_s, updated.toString(Qt::ISODateWithMs)},
                             {u"system"_s, system},
                             {u"turns"_s, turnArray}};
    return QJsonDocument(object).toJson(QJsonDocument::Indented);
}

Result<Conversation> Conversation::fromJson(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Result<Conversation>::failure(
            u"not valid JSON (%1 at byte %2)"_s.arg(parseError.errorString()).arg(parseError.offset));
    const QJsonObject object = document.object();
    const int version = object.value("version"_L1).toInt(0);
    if (version != FormatVersion)
        return Result<Conversation>::failure(
            u"not a conversation this version of Quarry reads (version %1)"_s.arg(version));
    if (!object.value("turns"_L1).isArray())
        return Result<Conversation>::failure(u"it has no \"turns\" list"_s);
    Conversation conversation;
    conversation.id = object.value("id"_L1).toString();
    conversation.title = object.value("title"_L1).toString();
    conversation.created = QDateTime::fromString(object.value("created"_L1).toString(), Qt::ISODateWithMs);
    conversation.updated = QDateTime::fromString(object.value("updated"_L1).toString(), Qt::ISODateWithMs);
    conversation.system = object.value("system"_L1).toString();
    for (const QJsonValue &turn : object.value("turns"_L1).toArray())
        conversation.turns.append(turnFromJson(turn.toObject()));
    return conversation;
}

QString Conversation::titleFor(const QString &prompt)
{
    const QString line = prompt.trimmed().section(u'\n', 0, 0).simplified();
    return line.size() <= kTitleLength ? line : line.left(kTitleLength - 1) + u'…';
}

} // namespace quarry::ui

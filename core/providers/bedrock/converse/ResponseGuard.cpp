// Masking and refusing Bedrock's answers: whole (Converse) and streamed (ConverseStream).
#include "providers/bedrock/converse/ResponseGuard.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
std::optional<PromptGuardRejection> ResponseGuard::guardAnswer(QJsonObject &converseResponse) const
{
    QJsonObject output = converseResponse.value("output"_L1).toObject();
    QJsonObject message = output.value("message"_L1).toObject();
    QJsonArray content = message.value("content"_L1).toArray();
    for (qsizetype i = 0; i < content.size(); ++i) {
        QJsonObject block = content.at(i).toObject();
        if (!block.value("text"_L1).isString())
            continue;
        QString text = block.value("text"_L1).toString();
        if (auto rejection = m_guard.apply(text))
            return rejection;
        block.insert(u"text"_s, text);
        content.replace(i, block);
    }
    message.insert(u"content"_s, content);
    output.insert(u"message"_s, message);
    converseResponse.insert(u"output"_s, output);
    return std::nullopt;
}

QList<ResponseGuard::Event> ResponseGuard::onEvent(const QString &type, const QByteArray &payload)
{
    if (m_rejection)
        return {};
    const QJsonObject object = QJsonDocument::fromJson(payload).object();
    const int index = object.value("contentBlockIndex"_L1).toInt();
    if (type == "contentBlockDelta"_L1) {
        const QJsonValue text = object.value("delta"_L1).toObject().value("text"_L1);
        if (text.isString()) {
            m_heldText[index] += text.toString();
            return {};
        }
        return {{type, payload}};
    }
    if (type != "contentBlockStop"_L1 || !m_heldText.contains(index))
        return {{type, payload}};

    QString text = m_heldText.take(index);
    if ((m_rejection = m_guard.apply(text)))
        return {};
    const QJsonObject delta{{u"contentBlockIndex"_s, index}, {u"delta"_s, QJsonObject{{u"text"_s, text}}}};
    return {{u"contentBlockDelta"_s, QJsonDocument(delta).toJson(QJsonDocument::Compact)}, {type, payload}};
}

} // namespace quarry::bedrock

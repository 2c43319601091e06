// Built-in and custom regex guards, applied to prompt text.
#include "providers/bedrock/converse/PromptGuard.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

// Deliberately simple patterns in the spirit of agentgateway's built-ins: they catch the usual
// written forms (with or without separators) rather than validating numbers.
std::optional<PromptGuard::Pattern> builtin(const QString &name)
{
    static const QList<std::tuple<QString, QString, QString>> builtins = {
        {u"Email"_s, uR"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})"_s, u"<EMAIL_ADDRESS>"_s},
        {u"CreditCard"_s, uR"(\b(?:\d[ -]?){12,18}\d\b)"_s, u"<CREDIT_CARD>"_s},
        {u"Ssn"_s, uR"(\b\d{3}-\d{2}-\d{4}\b)"_s, u"<SSN>"_s},
        {u"CaSin"_s, uR"(\b\d{3}[- ]\d{3}[- ]\d{3}\b)"_s, u"<CA_SIN>"_s},
        {u"PhoneNumber"_s, uR"((?:\+?\d{1,3}[ .-]?)?\(?\b\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}\b)"_s, u"<PHONE_NUMBER>"_s},
    };
    for (const auto &[builtinName, pattern, replacement] : builtins) {
        if (builtinName == name)
            return PromptGuard::Pattern{QRegularExpression(pattern), builtinName, replacement};
    }
    return std::nullopt;
}

Result<PromptGuard::Rule> parseRegexRule(const QJsonObject &regex, const QJsonObject &response, const QString &path)
{
    using R = Result<PromptGuard::Rule>;
    PromptGuard::Rule rule;
    const QString action = regex.value("action"_L1).toString(u"Mask"_s);
    if (action != "Mask"_L1 && action != "Reject"_L1)
        return R::failure(path % u".regex.action: must be Mask or Reject"_s);
    rule.reject = action == "Reject"_L1;
    for (const QJsonValue &name : regex.value("builtins"_L1).toArray()) {
        const auto pattern = builtin(name.toString());
        if (!pattern)
            return R::failure(path % u".regex.builtins: unknown builtin '"_s % name.toString() %
                              u"' (Ssn, CreditCard, PhoneNumber, Email, CaSin)"_s);
        rule.patterns.append(*pattern);
    }
    for (const QJsonValue &match : regex.value("matches"_L1).toArray()) {
        QRegularExpression expression(match.toString());
        if (match.toString().isEmpty() || !expression.isValid())
            return R::failure(path % u".regex.matches: invalid regular expression '"_s % match.toString() % u"'"_s);
        rule.patterns.append({expression, match.toString(), u"<MASKED>"_s});
    }
    rule.rejection.statusCode = response.value("statusCode"_L1).toInt(403);
    rule.rejection.message = response.value("message"_L1).toString();
    return rule;
}

} // namespace

Result<PromptGuard> PromptGuard::parse(const QJsonArray &guards, const QString &path, QString subject)
{
    PromptGuard guard;
    guard.m_subject = std::move(subject);
    for (int i = 0; i < guards.size(); ++i) {
        const QString itemPath = path % u'[' % QString::number(i) % u']';
        const QJsonObject item = guards.at(i).toObject();
        for (const QString &key : item.keys()) {
            if (key != "regex"_L1 && key != "response"_L1)
                guard.m_unsupported.append(itemPath % u'.' % key);
        }
        if (!item.value("regex"_L1).isObject())
            continue;
        auto rule = parseRegexRule(item.value("regex"_L1).toObject(), item.value("response"_L1).toObject(), itemPath);
        if (!rule)
            return Result<PromptGuard>::failure(rule.error());
        guard.m_rules.append(rule.value());
    }
    return guard;
}

std::optional<PromptGuardRejection> PromptGuard::apply(QString &text) const
{
    for (const Rule &rule : m_rules) {
        for (const Pattern &pattern : rule.patterns) {
            if (!rule.reject) {
                text.replace(pattern.regex, pattern.replacement);
                continue;
            }
            if (!pattern.regex.match(text).hasMatch())
                continue;
            PromptGuardRejection rejection = rule.rejection;
            if (rejection.message.isEmpty())
                rejection.message = u"Rejected by the backend's prompt guard: the "_s % m_subject %
                                    u" contains text matching '"_s % pattern.name % u"'."_s;
            return rejection;
        }
    }
    return std::nullopt;
}

std::optional<PromptGuardRejection> PromptGuard::applyToEveryString(QJsonValue &value) const
{
    if (value.isString()) {
        QString text = value.toString();
        if (auto rejection = apply(text))
            return rejection;
        value = text;
    } else if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            QJsonValue element = array.at(i);
            if (auto rejection = applyToEveryString(element))
                return rejection;
            array.replace(i, element);
        }
        value = array;
    } else if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            QJsonValue member = it.value();
            if (auto rejection = applyToEveryString(member))
                return rejection;
            it.value() = member;
        }
        value = object;
    }
    return std::nullopt;
}

} // namespace quarry::bedrock

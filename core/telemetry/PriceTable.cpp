// Reading the pricing tables and pricing a request.
#include "telemetry/PriceTable.h"

#include "util/StrictJson.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QSet>

using namespace Qt::StringLiterals;

namespace quarry::telemetry {

namespace {

// Geographic and global inference-profile prefixes (Bedrock user guide, "Supported Regions and
// models for inference profiles").
const QSet<QString> &profilePrefixes()
{
    static const QSet<QString> prefixes{u"us"_s, u"us-gov"_s, u"eu"_s, u"apac"_s,
                                        u"jp"_s, u"au"_s,     u"ca"_s, u"global"_s};
    return prefixes;
}

Status onlyKeys(const QJsonObject &object, const QSet<QString> &allowed, const QString &path)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!allowed.contains(it.key()))
            return Status::failure(path % u'.' % it.key() % u": unknown field"_s);
    }
    return Ok{};
}

Result<double> readRate(const QJsonObject &object, const QString &key, const QString &path)
{
    const auto rate = util::readNumber(object.value(key), path % u'.' % key);
    if (rate && *rate < 0)
        return Result<double>::failure(path % u'.' % key % u": must not be negative"_s);
    return rate;
}

Result<TokenRates> readRates(const QJsonValue &value, const QString &path)
{
    if (!value.isObject())
        return Result<TokenRates>::failure(path % u": must be an object"_s);
    const QJsonObject object = value.toObject();
    if (const Status keys =
            onlyKeys(object, {u"input"_s, u"output"_s, u"cacheRead"_s, u"cacheWrite"_s}, path);
        !keys)
        return Error{keys.error()};
    TokenRates rates;
    for (const auto &[key, into] :
         {std::pair{u"input"_s, &rates.input}, std::pair{u"output"_s, &rates.output}}) {
        const auto rate = readRate(object, key, path);
        if (!rate)
            return Error{rate.error()};
        *into = *rate;
    }
    for (const auto &[key, into] :
         {std::pair{u"cacheRead"_s, &rates.cacheRead}, std::pair{u"cacheWrite"_s, &rates.cacheWrite}}) {
        if (!object.contains(key))
            continue;
        const auto rate = readRate(object, key, path);
        if (!rate)
            return Error{rate.error()};
        *into = *rate;
    }
    return rates;
}

Result<PriceTable::Entry> readEntry(const QJsonValue &value, const QString &path)
{
    if (!value.isObject())
        return Result<PriceTable::Entry>::failure(path % u": must be an object"_s);
    const QJsonObject object = value.toObject();
    if (const Status keys = onlyKeys(object, {u"name"_s, u"regions"_s, u"global"_s, u"notes"_s}, path); !keys)
        return Error{keys.error()};
    PriceTable::Entry entry;
    if (object.contains(u"regions"_s)) {
        const QJsonValue regions = object.value(u"regions"_s);
        if (!regions.isObject())
            return Result<PriceTable::Entry>::failure(path % u".regions: must be an object"_s);
        const QJsonObject byRegion = regions.toObject();
        for (auto it = byRegion.begin(); it != byRegion.end(); ++it) {
            const auto rates = readRates(it.value(), path % u".regions."_s % it.key());
            if (!rates)
                return Error{rates.error()};
            entry.regions.insert(it.key(), *rates);
        }
    }
    if (object.contains(u"global"_s)) {
        const auto rates = readRates(object.value(u"global"_s), path % u".global"_s);
        if (!rates)
            return Error{rates.error()};
        entry.global = *rates;
    }
    if (entry.regions.isEmpty() && !entry.global)
        return Result<PriceTable::Entry>::failure(path % u": needs \"regions\" or \"global\""_s);
    return entry;
}

} // namespace

BaseModel baseModelOf(const QString &model)
{
    QString id = model;
    // arn:aws:bedrock:REGION:ACCOUNT:inference-profile/PROFILE or ...::foundation-model/MODEL
    if (id.startsWith(u"arn:"_s)) {
        const qsizetype slash = id.indexOf(u'/');
        const QString resource = id.section(u':', 5).section(u'/', 0, 0);
        if (slash < 0 || (resource != u"inference-profile"_s && resource != u"foundation-model"_s))
            return {model, false};
        id = id.mid(slash + 1);
    }
    const qsizetype dot = id.indexOf(u'.');
    // A profile id has a provider after its prefix ("us.anthropic.claude…"), a base id has none
    // before its model ("anthropic.claude…"): only strip when another dot follows.
    if (dot > 0 && id.indexOf(u'.', dot + 1) > dot && profilePrefixes().contains(id.left(dot)))
        return {id.mid(dot + 1), id.left(dot) == u"global"_s};
    return {id, false};
}

PriceTable PriceTable::shipped()
{
    QFile file(u":/quarry/pricing/bedrock.json"_s);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    auto table = parse(file.readAll());
    return table ? *table : PriceTable{};
}

Result<PriceTable> PriceTable::parse(const QByteArray &json)
{
    const auto document = util::parseJsonBody(json);
    if (!document)
        return Error{document.error()};
    const QJsonValue models = document->value(u"models"_s);
    if (!models.isObject())
        return Result<PriceTable>::failure(u"models: must be an object (model id -> rates)"_s);
    PriceTable table;
    table.m_source = document->value(u"source"_s).toString();
    table.m_read = document->value(u"read"_s).toString();
    const QJsonObject byModel = models.toObject();
    for (auto it = byModel.begin(); it != byModel.end(); ++it) {
        const auto entry = readEntry(it.value(), u"models."_s + it.key());
        if (!entry)
            return Error{entry.error()};
        table.m_models.insert(baseModelOf(it.key()).id, *entry);
    }
    return table;
}

QString PriceTable::overridePath(const QString &configDir)
{
    return QDir(configDir).filePath(u"pricing.json"_s);
}

PriceTable PriceTable::load(const QString &configDir, QString *warning)
{
    PriceTable table = shipped();
    if (warning)
        warning->clear();
    QFile file(overridePath(configDir));
    if (configDir.isEmpty() || !file.exists())
        return table;
    const auto problem = [&](const QString &why) {
        if (warning)
            *warning =
                u"%1 is not used, prices come from the shipped table only: %2"_s.arg(file.fileName(), why);
        return table;
    };
    if (!file.open(QIODevice::ReadOnly))
        return problem(file.errorString());
    if (file.size() > MaxOverrideBytes)
        return problem(u"larger than 4 MiB"_s);
    const auto user = parse(file.readAll());
    if (!user)
        return problem(user.error());
    table.overrideWith(*user);
    return table;
}

void PriceTable::overrideWith(const PriceTable &other)
{
    for (auto it = other.m_models.begin(); it != other.m_models.end(); ++it)
        m_models.insert(it.key(), it.value());
}

QStringList PriceTable::modelIds() const
{
    QStringList ids = m_models.keys();
    ids.sort();
    return ids;
}

std::optional<TokenRates> PriceTable::ratesFor(const QString &model, const QString &region) const
{
    const BaseModel base = baseModelOf(model);
    const auto found = m_models.constFind(base.id);
    if (found == m_models.cend())
        return std::nullopt;
    if (base.global)
        return found->global;
    // Cross-region (us., eu., ...) profiles cost what the base model costs in the Region called
    // (aws.amazon.com/bedrock/pricing: "calculated basis the region you made the request in").
    if (const auto rates = found->regions.constFind(region); rates != found->regions.cend())
        return *rates;
    if (const auto any = found->regions.constFind(u"*"_s); any != found->regions.cend())
        return *any;
    return std::nullopt;
}

double PriceTable::costOf(const QString &model, const QString &region, const TokenUsage &tokens) const
{
    const auto rates = ratesFor(model, region);
    if (!rates || (tokens.cacheRead > 0 && !rates->cacheRead) ||
        (tokens.cacheWrite > 0 && !rates->cacheWrite))
        return -1;
    const double perThousand = double(tokens.input) * rates->input + double(tokens.output) * rates->output +
                               double(tokens.cacheRead) * rates->cacheRead.value_or(0) +
                               double(tokens.cacheWrite) * rates->cacheWrite.value_or(0);
    return perThousand / 1000.0;
}

} // namespace quarry::telemetry

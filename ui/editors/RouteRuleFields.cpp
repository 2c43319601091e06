// An HTTPRoute rule's tables.
#include "editors/RouteRuleFields.h"

#include "config/Duration.h"
#include "editors/KeyValueTable.h"

#include <QFormLayout>
#include <QLineEdit>

using namespace Qt::StringLiterals;
using namespace quarry::config;

namespace quarry::ui {

namespace {

const QStringList kPathTypes{u"PathPrefix"_s, u"Exact"_s, u"RegularExpression"_s};
const QStringList kMethods{QString(), u"GET"_s, u"POST"_s, u"PUT"_s, u"DELETE"_s, u"PATCH"_s, u"HEAD"_s, u"OPTIONS"_s};

enum MatchColumn { MatchPath, MatchType, MatchMethod, MatchHeaders };
enum FilterColumn { FilterAction, FilterName, FilterValue };
enum RefColumn { RefBackend, RefWeight };

// One filter row per action, in the Gateway API's terms.
const QString kSetHeader = u"Set header"_s;
const QString kAddHeader = u"Add header"_s;
const QString kRemoveHeader = u"Remove header"_s;
const QString kRewritePrefix = u"Rewrite path prefix"_s;
const QString kRewritePath = u"Rewrite full path"_s;
const QString kRewriteHost = u"Rewrite host"_s;

// Headers in one cell: "name=value" (exact) or "name~regex", separated by ", ".
QString headersText(const QList<HeaderMatch> &headers)
{
    QStringList parts;
    for (const auto &header : headers)
        parts.append(header.name + (header.type == HeaderMatch::Type::Exact ? u"="_s : u"~"_s) + header.value);
    return parts.join(u", "_s);
}

QList<HeaderMatch> headersFrom(const QString &text)
{
    QList<HeaderMatch> headers;
    for (const QString &part : text.split(u", "_s, Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(u'=');
        const qsizetype tilde = part.indexOf(u'~');
        const bool regex = tilde >= 0 && (eq < 0 || tilde < eq);
        const qsizetype at = regex ? tilde : eq;
        if (at <= 0)
            continue;
        headers.append({regex ? HeaderMatch::Type::RegularExpression : HeaderMatch::Type::Exact,
                        part.left(at).trimmed(), part.mid(at + 1).trimmed()});
    }
    return headers;
}

QList<KeyValueTable::Row> matchRows(const QList<RouteMatch> &matches)
{
    QList<KeyValueTable::Row> rows;
    for (const auto &match : matches)
        rows.append({match.path.value, kPathTypes.value(int(match.path.type)), match.method, headersText(match.headers)});
    return rows;
}

QList<KeyValueTable::Row> filterRows(const QList<RouteFilter> &filters)
{
    QList<KeyValueTable::Row> rows;
    for (const auto &filter : filters) {
        if (filter.type == RouteFilter::Type::RequestHeaderModifier) {
            for (const auto &header : filter.requestHeaderModifier.set)
                rows.append({kSetHeader, header.name, header.value});
            for (const auto &header : filter.requestHeaderModifier.add)
                rows.append({kAddHeader, header.name, header.value});
            for (const auto &name : filter.requestHeaderModifier.remove)
                rows.append({kRemoveHeader, name, QString()});
        } else {
            if (!filter.urlRewrite.hostname.isEmpty())
                rows.append({kRewriteHost, filter.urlRewrite.hostname, QString()});
            if (const auto &path = filter.urlRewrite.path) {
                rows.append({path->type == PathRewrite::Type::ReplacePrefixMatch ? kRewritePrefix : kRewritePath,
                             path->value, QString()});
            }
        }
    }
    return rows;
}

QString refName(const BackendRef &ref, const QString &routeNamespace)
{
    return ref.ns.isEmpty() || ref.ns == routeNamespace ? ref.name : ref.ns + u'/' + ref.name;
}

QList<KeyValueTable::Row> refRows(const QList<BackendRef> &refs, const QString &routeNamespace)
{
    QList<KeyValueTable::Row> rows;
    for (const auto &ref : refs)
        rows.append({refName(ref, routeNamespace), ref.weight ? QString::number(*ref.weight) : QString()});
    return rows;
}

} // namespace

RouteRuleFields::RouteRuleFields(QWidget *parent)
    : QWidget(parent)
    , m_matches(new KeyValueTable(u"Matches"_s, {u"Path"_s, u"Type"_s, u"Method"_s, u"Headers"_s}, this))
    , m_filters(new KeyValueTable(u"Filters"_s, {u"Action"_s, u"Name or path"_s, u"Value"_s}, this))
    , m_backends(new KeyValueTable(u"Backend references"_s, {u"Backend"_s, u"Weight"_s}, this))
    , m_timeout(new QLineEdit(this))
{
    m_matches->setColumnChoices(MatchType, kPathTypes, false);
    m_matches->setColumnChoices(MatchMethod, kMethods, false);
    m_filters->setColumnChoices(FilterAction,
                                {kSetHeader, kAddHeader, kRemoveHeader, kRewritePrefix, kRewritePath, kRewriteHost}, false);
    m_matches->setToolTip(u"Headers: name=value (exact) or name~regex, separated by \", \""_s);
    m_matches->setNarrowColumn(MatchType);
    m_matches->setNarrowColumn(MatchMethod);
    m_filters->setNarrowColumn(FilterAction);
    m_backends->setNarrowColumn(RefWeight);
    m_backends->setToolTip(u"Requests are shared among the backends by weight (default 1 each)"_s);
    m_timeout->setPlaceholderText(u"e.g. 2m (none)"_s);
    m_timeout->setAccessibleName(u"Rule request timeout"_s);
    auto *layout = new QFormLayout(this);
    layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addRow(u"Matc&hes"_s, m_matches);
    layout->addRow(u"&Backends"_s, m_backends);
    layout->addRow(u"&Filters"_s, m_filters);
    layout->addRow(u"Request ti&meout"_s, m_timeout);
    for (KeyValueTable *table : {m_matches, m_filters, m_backends})
        connect(table, &KeyValueTable::edited, this, &RouteRuleFields::edited);
    connect(m_timeout, &QLineEdit::textEdited, this, &RouteRuleFields::edited);
}

void RouteRuleFields::setBackendChoices(const QStringList &backends)
{
    m_backends->setColumnChoices(RefBackend, backends, true);
}

void RouteRuleFields::setRule(const RouteRule &rule, const QString &routeNamespace)
{
    m_base = rule;
    m_baseNamespace = routeNamespace;
    m_matches->setRows(matchRows(rule.matches));
    m_filters->setRows(filterRows(rule.filters));
    m_backends->setRows(refRows(rule.backendRefs, routeNamespace));
    m_timeout->setText(rule.requestTimeoutMs ? formatDuration(*rule.requestTimeoutMs) : QString());
}

QList<RouteMatch> RouteRuleFields::matchesFromTable() const
{
    QList<RouteMatch> matches;
    const auto rows = m_matches->rows();
    for (int r = 0; r < rows.size(); ++r) {
        const auto &row = rows.at(r);
        RouteMatch match = m_base.matches.value(r);
        match.path.value = row.at(MatchPath);
        match.path.type = PathMatch::Type(std::max(0, int(kPathTypes.indexOf(row.at(MatchType)))));
        match.method = row.at(MatchMethod);
        // Headers are rebuilt only when their cell changed: the cell cannot show every spelling.
        if (r >= m_base.matches.size() || row.at(MatchHeaders) != headersText(m_base.matches.at(r).headers))
            match.headers = headersFrom(row.at(MatchHeaders));
        matches.append(match);
    }
    if (matches.isEmpty()) // what the parser reads for a rule without matches
        matches.append(RouteMatch{});
    return matches;
}

QList<RouteFilter> RouteRuleFields::filtersFromTable() const
{
    const auto rows = m_filters->rows();
    if (rows == filterRows(m_base.filters))
        return m_base.filters; // unchanged: same filters in the same order
    RouteFilter headers{RouteFilter::Type::RequestHeaderModifier, {}, {}};
    RouteFilter rewrite{RouteFilter::Type::URLRewrite, {}, {}};
    for (const auto &row : rows) {
        const QString &action = row.at(FilterAction);
        const QString &name = row.at(FilterName);
        const QString &value = row.at(FilterValue);
        if (action == kSetHeader)
            headers.requestHeaderModifier.set.append({name, value});
        else if (action == kAddHeader)
            headers.requestHeaderModifier.add.append({name, value});
        else if (action == kRemoveHeader)
            headers.requestHeaderModifier.remove.append(name);
        else if (action == kRewriteHost)
            rewrite.urlRewrite.hostname = name;
        else if (action == kRewritePrefix)
            rewrite.urlRewrite.path = PathRewrite{PathRewrite::Type::ReplacePrefixMatch, name};
        else if (action == kRewritePath)
            rewrite.urlRewrite.path = PathRewrite{PathRewrite::Type::ReplaceFullPath, name};
    }
    QList<RouteFilter> filters;
    if (headers.requestHeaderModifier != HeaderModifier{})
        filters.append(headers);
    if (rewrite.urlRewrite != UrlRewrite{})
        filters.append(rewrite);
    return filters;
}

BackendRef RouteRuleFields::newBackendRef(const QString &name, const QString &ns)
{
    return BackendRef{name, ns, u"gateway.kgateway.dev"_s, u"AgentgatewayBackend"_s, {}, {}};
}

QList<BackendRef> RouteRuleFields::refsFromTable(const QString &routeNamespace) const
{
    QList<BackendRef> refs;
    for (const auto &row : m_backends->rows()) {
        const QString &text = row.at(RefBackend);
        const qsizetype slash = text.indexOf(u'/');
        const QString ns = slash >= 0 ? text.left(slash) : QString();
        const QString name = slash >= 0 ? text.mid(slash + 1) : text;
        // A ref the rule already had keeps its group, kind, port and how its namespace was written.
        auto old = std::find_if(m_base.backendRefs.cbegin(), m_base.backendRefs.cend(), [&](const BackendRef &ref) {
            return refName(ref, m_baseNamespace) == text;
        });
        BackendRef ref = old != m_base.backendRefs.cend() ? *old : newBackendRef(name, ns.isEmpty() ? routeNamespace : ns);
        bool ok = false;
        const int weight = row.at(RefWeight).toInt(&ok);
        ref.weight = ok && weight >= 0 ? std::optional<int>(weight) : std::nullopt;
        refs.append(ref);
    }
    return refs;
}

RouteRule RouteRuleFields::rule(const QString &routeNamespace) const
{
    RouteRule rule = m_base;
    rule.matches = matchesFromTable();
    rule.filters = filtersFromTable();
    rule.backendRefs = refsFromTable(routeNamespace);
    const QString timeout = m_timeout->text().trimmed();
    if (timeout.isEmpty())
        rule.requestTimeoutMs.reset();
    else if (const auto ms = parseDuration(timeout))
        rule.requestTimeoutMs = ms;
    return rule;
}

} // namespace quarry::ui

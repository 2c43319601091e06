// The HTTPRoute form.
#include "editors/RouteForm.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

using namespace Qt::StringLiterals;
using namespace quarry::config;

namespace quarry::ui {

namespace {
// New backend refs point at an AgentgatewayBackend, as the seed's route does.
const QString kBackendGroup = u"gateway.kgateway.dev"_s;
const QString kBackendKind = u"AgentgatewayBackend"_s;
} // namespace

RouteForm::RouteForm(QWidget *parent)
    : ResourceForm(parent)
{
    auto *layout = new QFormLayout(this);
    layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->setContentsMargins(0, 0, 0, 0);
    m_name = addLine(layout, u"&Name"_s, u"metadata.name"_s, u"bedrock"_s);
    m_namespace = addLine(layout, u"Names&pace"_s, u"metadata.namespace"_s, kDefaultNamespace);
    m_parent = addLine(layout, u"Parent &gateway"_s, u"spec.parentRefs"_s, u"agentgateway"_s);
    m_matchType = addCombo(layout, u"Path &match"_s, u"spec.rules[0].matches[0].path.type"_s,
                           {u"PathPrefix"_s, u"Exact"_s, u"RegularExpression"_s});
    m_pathValue = addLine(layout, u"Pat&h"_s, u"spec.rules[0].matches[0].path"_s, u"/bedrock"_s);
    m_backends = addLine(layout, u"&Backends"_s, u"spec.rules[0].backendRefs"_s, u"bedrock (comma-separated)"_s);
    registerField(u"spec.rules"_s, m_pathValue);
    m_moreRules = new QLabel(this);
    m_moreRules->setWordWrap(true);
    layout->addRow(m_moreRules);
    setResource(blank());
}

Resource RouteForm::blank() const
{
    HttpRoute route;
    route.meta.name = u"new-route"_s;
    route.parentRefs = {ParentRef{{}, {}, u"agentgateway"_s, kDefaultNamespace, {}, {}}};
    RouteRule rule;
    rule.matches = {RouteMatch{PathMatch{PathMatch::Type::PathPrefix, u"/new-route"_s}, {}, {}}};
    rule.backendRefs = {BackendRef{u"bedrock"_s, kDefaultNamespace, kBackendGroup, kBackendKind, {}, {}}};
    route.rules = {rule};
    return Resource{route, {}};
}

void RouteForm::setResource(const Resource &resource)
{
    const auto *route = resource.as<HttpRoute>();
    if (!route)
        return;
    m_base = *route;
    const RouteRule rule = route->rules.value(0);
    const RouteMatch match = rule.matches.value(0);
    QStringList backends;
    for (const auto &ref : rule.backendRefs)
        backends.append(ref.name);
    loading([&] {
        m_name->setText(route->meta.name);
        m_namespace->setText(route->meta.ns);
        m_parent->setText(route->parentRefs.value(0).name);
        m_matchType->setCurrentIndex(static_cast<int>(match.path.type));
        m_pathValue->setText(match.path.value);
        m_backends->setText(backends.join(u", "_s));
    });
    const bool more = route->rules.size() > 1 || rule.matches.size() > 1;
    m_moreRules->setText(more ? u"This route has %1 rule(s); the form edits the first rule's first match. "
                                u"Edit the others in the YAML."_s.arg(route->rules.size())
                              : QString());
    m_moreRules->setVisible(more);
}

QList<BackendRef> RouteForm::refsFromFields(const QList<BackendRef> &old, const QString &ns) const
{
    QList<BackendRef> refs;
    for (const QString &part : m_backends->text().split(u',', Qt::SkipEmptyParts)) {
        const QString name = part.trimmed();
        if (name.isEmpty())
            continue;
        // A ref the form already had keeps its weight, group and namespace.
        auto existing = std::find_if(old.begin(), old.end(), [&](const BackendRef &r) { return r.name == name; });
        refs.append(existing != old.end() ? *existing
                                          : BackendRef{name, ns, kBackendGroup, kBackendKind, {}, {}});
    }
    return refs;
}

RouteRule RouteForm::ruleFromFields(RouteRule rule, const QString &ns) const
{
    if (rule.matches.isEmpty())
        rule.matches.append(RouteMatch{});
    rule.matches[0].path.type = static_cast<PathMatch::Type>(m_matchType->currentIndex());
    rule.matches[0].path.value = m_pathValue->text().trimmed();
    rule.backendRefs = refsFromFields(rule.backendRefs, ns);
    return rule;
}

Resource RouteForm::resource() const
{
    HttpRoute route = m_base;
    route.meta.name = m_name->text().trimmed();
    const QString ns = m_namespace->text().trimmed();
    route.meta.ns = ns.isEmpty() ? kDefaultNamespace : ns;
    const QString parent = m_parent->text().trimmed();
    if (parent.isEmpty()) {
        route.parentRefs.clear();
    } else if (route.parentRefs.isEmpty()) {
        route.parentRefs = {ParentRef{{}, {}, parent, route.meta.ns, {}, {}}};
    } else {
        route.parentRefs[0].name = parent;
    }
    if (route.rules.isEmpty())
        route.rules.append(RouteRule{});
    route.rules[0] = ruleFromFields(route.rules[0], route.meta.ns);
    return Resource{route, {}};
}

} // namespace quarry::ui

using System.Globalization;
using System.Net;
using System.Text;
using IommuVerify.Vocabulary.Operations;

namespace IommuVerify.Reporting;

/// <summary>Draws a counterexample as an inline SVG sequence diagram: a lane per device, domain, mm and VM,
/// and one for the IOMMU's caches; one arrow per operation; failed operations dashed with their errno;
/// the step that breaks the invariant highlighted with its ID and witness.</summary>
public static class SequenceDiagram
{
    private const int LaneWidth = 150;
    private const int Left = 20;
    private const int Top = 56;
    private const int RowHeight = 46;

    /// <summary>Renders the diagram.</summary>
    public static string Render(CounterexampleView cx)
    {
        var lanes = Lanes(cx);
        int width = Left * 2 + lanes.Count * LaneWidth + 170;
        int noteHeight = cx.ViolationStep > 0 ? 70 : 0;
        int height = Top + cx.Steps.Length * RowHeight + noteHeight + 30;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"seq\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"sequence diagram of {E(cx.Trace.Name)}\">");
        for (int i = 0; i < lanes.Count; i++)
        {
            int x = X(i);
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x - 62}\" y=\"8\" width=\"124\" height=\"28\" rx=\"5\" class=\"lane-head {lanes[i].Kind}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"27\" text-anchor=\"middle\" class=\"lane-name\">{E(lanes[i].Name)}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" y1=\"36\" x2=\"{x}\" y2=\"{height - 10}\" class=\"lifeline\"/>");
        }

        foreach (var step in cx.Steps)
        {
            int y = Top + (step.Index - 1) * RowHeight + 28;
            bool bad = step.Index == cx.ViolationStep;
            if (bad)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"2\" y=\"{y - 24}\" width=\"{width - 4}\" height=\"{RowHeight - 2}\" class=\"violation-row\"/>");
            }

            var (from, to) = Ends(step, lanes);
            string cls = step.Failed ? "arrow failed" : "arrow";
            sb.Append(CultureInfo.InvariantCulture, $"<g class=\"step\" data-step=\"{step.Index}\"><title>{E($"{step.Index}. {step.OpText} -> {step.Result.Render(step.Op.ReturnsDomain)} [{string.Join(" ", step.Rules)}]")}</title>");
            string label = $"{step.Index}. {Short(step.OpText)}";
            string result = step.Result.Render(step.Op.ReturnsDomain);
            int x1 = X(from), x2 = X(to);
            if (from == to)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<path d=\"M{x1} {y - 8} h30 v14 h-26\" class=\"{cls}\" marker-end=\"url(#head)\"/>");
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x1 + 36}\" y=\"{y - 10}\" class=\"op\">{E(label)}</text>");
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x1 + 36}\" y=\"{y + 8}\" class=\"{(step.Failed ? "res failed" : "res")}\">{E(result)}</text>");
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x1}\" y1=\"{y}\" x2=\"{x2 + (x2 > x1 ? -4 : 4)}\" y2=\"{y}\" class=\"{cls}\" marker-end=\"url(#head)\"/>");
                int mid = (x1 + x2) / 2;
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{mid}\" y=\"{y - 6}\" text-anchor=\"middle\" class=\"op\">{E(label)}</text>");
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{mid}\" y=\"{y + 14}\" text-anchor=\"middle\" class=\"{(step.Failed ? "res failed" : "res")}\">{E(result)}</text>");
            }

            sb.Append("</g>");
        }

        if (cx.ViolationStep > 0)
        {
            int y = Top + cx.Steps.Length * RowHeight + 6;
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{y}\" width=\"{width - 2 * Left}\" height=\"58\" rx=\"6\" class=\"note\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 10}\" y=\"{y + 22}\" class=\"note-title\">{E(cx.InvariantId)} violated after step {cx.ViolationStep}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 10}\" y=\"{y + 44}\" class=\"note-text\">{E(Clip(cx.Witness, (width - 60) / 6))}</text>");
        }

        sb.Append("<defs><marker id=\"head\" markerWidth=\"8\" markerHeight=\"8\" refX=\"7\" refY=\"4\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" class=\"head\"/></marker></defs>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static int X(int lane) => Left + lane * LaneWidth + LaneWidth / 2;

    private sealed record Lane(string Name, string Kind);

    private static List<Lane> Lanes(CounterexampleView cx)
    {
        var lanes = cx.Scope.Devices.Select(d => new Lane(d.Name, "device")).ToList();
        var vms = new SortedSet<int>();
        var mms = new SortedSet<int>();
        var slots = new SortedSet<int>();
        foreach (var s in cx.Steps)
        {
            switch (s.Op)
            {
                case AllocDomain a when s.Result.Kind == ResultKind.Ok:
                    slots.Add(s.Result.Value);
                    break;
                case FreeDomain f: slots.Add(f.Slot); break;
                case AttachRid a when a.Domain.IsSlot: slots.Add(a.Domain.Value); break;
                case ReplaceRid r when r.Domain.IsSlot: slots.Add(r.Domain.Value); break;
                case AttachPasid a: slots.Add(a.Slot); break;
                case ReplacePasid r: slots.Add(r.Slot); break;
                case Map m: slots.Add(m.Slot); break;
                case Unmap u: slots.Add(u.Slot); break;
                case VpasidAttach v: slots.Add(v.Slot); vms.Add(v.Vm); break;
                case VpasidAlloc v: vms.Add(v.Vm); break;
                case VpasidFree v: vms.Add(v.Vm); break;
                case SvaBind b: mms.Add(b.Mm); break;
                case SvaUnbind u: mms.Add(u.Mm); break;
            }
        }

        lanes.AddRange(slots.Select(s => new Lane("d" + s.ToString(CultureInfo.InvariantCulture), "domain")));
        lanes.AddRange(mms.Select(m => new Lane("mm " + cx.Scope.Mms[m], "mm")));
        lanes.AddRange(vms.Select(v => new Lane("VM " + cx.Scope.Vms[v].Name, "vm")));
        lanes.Add(new Lane("IOMMU caches", "iommu"));
        return lanes;
    }

    private static (int From, int To) Ends(StepView s, List<Lane> lanes)
    {
        int iommu = lanes.Count - 1;
        int Dev(int d) => d;
        int Dom(int slot) => lanes.FindIndex(l => l.Kind == "domain" && l.Name == "d" + slot.ToString(CultureInfo.InvariantCulture)) is int i and >= 0 ? i : iommu;
        int Named(string kind, string name) => lanes.FindIndex(l => l.Kind == kind && l.Name == name) is int i and >= 0 ? i : iommu;
        return s.Op switch
        {
            AllocDomain a => (Dev(a.Dev), s.Result.Kind == ResultKind.Ok ? Dom(s.Result.Value) : iommu),
            FreeDomain f => (Dom(f.Slot), Dom(f.Slot)),
            AttachRid a => (Dev(a.Dev), a.Domain.IsSlot ? Dom(a.Domain.Value) : iommu),
            ReplaceRid r => (Dev(r.Dev), r.Domain.IsSlot ? Dom(r.Domain.Value) : iommu),
            DetachRid d => (Dev(d.Dev), iommu),
            AttachPasid a => (Dev(a.Dev), Dom(a.Slot)),
            ReplacePasid r => (Dev(r.Dev), Dom(r.Slot)),
            DetachPasid d => (Dev(d.Dev), iommu),
            SvaBind b => (Dev(b.Dev), Named("mm", "mm " + s.OpText.Split("mm=")[1].Split(' ')[0])),
            SvaUnbind u => (Dev(u.Dev), Named("mm", "mm " + s.OpText.Split("mm=")[1].Split(' ')[0])),
            Map m => (Dom(m.Slot), Dom(m.Slot)),
            Unmap u => (Dom(u.Slot), Dom(u.Slot)),
            Invalidate => (iommu, iommu),
            Translate t => (Dev(t.Dev), iommu),
            VpasidAttach v => (Named("vm", "VM " + s.OpText.Split("vm=")[1].Split(' ')[0]), Dom(v.Slot)),
            VpasidAlloc => (Named("vm", "VM " + s.OpText.Split("vm=")[1].Split(' ')[0]), iommu),
            VpasidFree => (Named("vm", "VM " + s.OpText.Split("vm=")[1].Split(' ')[0]), iommu),
            _ => (iommu, iommu),
        };
    }

    private static string Short(string opText) => Clip(opText, 40);

    private static string Clip(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";

    private static string E(string s) => WebUtility.HtmlEncode(s);
}

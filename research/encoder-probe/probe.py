import os
import struct, sys, os, re, numpy as np, torch, torch.nn as nn, collections
TEXT=os.environ.get('TEXT','1')=='1'  # dumps since the question text was added carry it
torch.set_num_threads(int(os.environ.get('THREADS','2')))
def load(fn):
    b=open(fn,'rb').read(); o=0
    def i():
        nonlocal o; v=struct.unpack('>i',b[o:o+4])[0]; o+=4; return v
    def s():
        nonlocal o; n=struct.unpack('>H',b[o:o+2])[0]; v=b[o+2:o+2+n].decode(); o+=2+n; return v
    Q,K,D=i(),i(),i(); cb=np.frombuffer(b[o:o+4*Q*K*D],'>f4').reshape(Q,K,D).astype(np.float32); o+=4*Q*K*D
    n=i(); items=[]
    for _ in range(n):
        sp,it,vo=s(),s(),s(); qt=s() if TEXT else ''; T=i(); Tc=i()
        f=np.frombuffer(b[o:o+4*T*D],'>f4').reshape(T,D).astype(np.float32); o+=4*T*D
        c=np.frombuffer(b[o:o+4*Q*Tc],'>i4').reshape(Q,Tc).astype(np.int64); o+=4*Q*Tc
        items.append(dict(split=sp,intent=it,voice=vo,feat=f,codes=c,text=qt))
    return cb,items
cb,items=load(sys.argv[1])
rep=sys.argv[2]; tempo=float(sys.argv[3]); seed=int(sys.argv[4]) if len(sys.argv)>4 else 1
import os; ARCH=os.environ.get('ARCH','conv'); LAYERS=int(os.environ.get('LAYERS','1')); FRONT=int(os.environ.get('FRONT','0')); EPOCHS=int(os.environ.get('EPOCHS','40')); CONVTF=int(os.environ.get('CONVTF','0'))
intents=sorted(set(x['intent'] for x in items)); ix={k:j for j,k in enumerate(intents)}
Q,K,D=cb.shape
def deq(c): return sum(cb[q][c[q]] for q in range(Q))
def x_of(it):
    if rep=='codes': return it['codes'].T   # [T,Q] ints
    f = deq(it['codes']) if rep.startswith('deq') else it['feat']
    if 'nof0' in rep: f=np.delete(f,[D-2,D-1],axis=1)
    if 'cmvn' in rep: f=(f-f.mean(0))/(f.std(0)+1e-3)
    elif 'cmn' in rep: f=f-f.mean(0)
    if 'delta' in rep:
        d=np.zeros_like(f); d[1:-1]=(f[2:]-f[:-2])/2; f=np.concatenate([f,d],1)
    return f.astype(np.float32)
UPS=int(os.environ.get('UPS','4')); BAG=int(os.environ.get('BAG','0')); AUX=os.environ.get('AUX',''); AUXW=float(os.environ.get('AUXW','1'))
def words(t): return [w for w in re.split(r'[\s,.?!]+',t) if w]
chars=sorted(set(''.join(' '.join(words(it['text'])) for it in items if it['split']=='train'))); cix={c:j+1 for j,c in enumerate(chars)}
vocab=sorted(set(w for it in items if it['split']=='train' for w in words(it['text']))); wix={w:j for j,w in enumerate(vocab)}
def aux_of(it):
    if AUX.startswith('ctc') or AUX=='bagce': return [cix[c] for c in ' '.join(words(it['text'])) if c in cix]
    if AUX=='bow': return [wix[w] for w in words(it['text']) if w in wix]
    return []
items_text={s:[it['text'] for it in items if it['split']==s] for s in set(x['split'] for x in items)}
data={s:[(x_of(it),ix[it['intent']],aux_of(it)) for it in items if it['split']==s] for s in set(x['split'] for x in items)}
torch.manual_seed(seed); rng=np.random.default_rng(seed)
inp = None if rep=='codes' else data['train'][0][0].shape[1]
class M(nn.Module):
    def __init__(s):
        super().__init__(); d=64
        s.emb = nn.Embedding(Q*K,d) if rep=='codes' else nn.Linear(inp,d)
        s.tf = ARCH=='tf'
        if s.tf:
            s.front = nn.Sequential(nn.Conv1d(inp,d,5,padding=2),nn.GELU()) if FRONT else None
            s.emb = nn.Linear((d if FRONT else inp)*4,d); s.pos=nn.Parameter(torch.randn(200,d)*float(os.environ.get('POSSTD','0.02')))
            s.enc=nn.TransformerEncoder(nn.TransformerEncoderLayer(d,4,256,0.0,batch_first=True,norm_first=True,activation='gelu'),LAYERS)
        s.conv=nn.Sequential(nn.Conv1d(d,d,5,padding=2),nn.GELU(),nn.Conv1d(d,d,5,padding=2,stride=2),nn.GELU(),nn.Conv1d(d,d,5,padding=2,stride=2),nn.GELU())
        s.out=nn.Linear(d,len(intents))
        s.aux=nn.Linear(d,UPS*(len(chars)+1)) if AUX in ('ctc','bagce') else nn.Linear(d,len(vocab)) if AUX=='bow' else None
        s.att=nn.Linear(d,1) if os.environ.get('POOL')=='attn' else None
        s.bagout=nn.Linear(len(chars),len(intents)) if BAG else None
        if CONVTF:
            s.pos2=nn.Parameter(torch.randn(200,d)*0.02)
            s.enc2=nn.TransformerEncoder(nn.TransformerEncoderLayer(d,4,256,0.0,batch_first=True,norm_first=True,activation='gelu'),CONVTF)
    def forward(s,x,mask):
        if s.tf:
            if s.front is not None: x=s.front(x.transpose(1,2)).transpose(1,2)*mask[...,None]
            B,T,F=x.shape; h=s.emb(x.reshape(B,T//4,4*F)); m=mask[:,::4]; h=h+(0 if os.environ.get('NOPOS') else s.pos[:h.shape[1]])
            h=s.enc(h,src_key_padding_mask=(m==0))
            return s.out((h*m[...,None]).sum(1)/m.sum(1)[:,None])
        if rep=='codes': h=s.emb(x+torch.arange(Q)*K).sum(2)
        else: h=s.emb(x)
        if rep=='codes': h=h-(h*mask[...,None]).sum(1,keepdim=True)/mask.sum(1)[:,None,None]
        h=s.conv(h.transpose(1,2))
        m=mask[:,::4][:,:h.shape[2]]
        if CONVTF:
            h=h.transpose(1,2)+(s.pos2[:h.shape[2]] if os.environ.get('POS2') else 0)
            h=s.enc2(h,src_key_padding_mask=(m==0)).transpose(1,2)
        s.h,s.m=h,m
        if s.bagout is not None:
            # intent from the bag of recognised characters: expected counts of each non-blank
            # character over the question (CTC posteriors), as a share of all non-blank mass
            B,d,T=h.shape; p=s.aux(h.transpose(1,2)).reshape(B,UPS*T,-1).softmax(2)[:,:,1:]
            p=p*m.repeat_interleave(UPS,1)[:,:,None]
            bag=p.sum(1); bag=bag/(bag.sum(1,keepdim=True)+1e-6); s.bag=bag
            if BAG==2: bag=bag.detach()
            return s.bagout(bag*float(os.environ.get('BAGSCALE','10')))
        if os.environ.get('POOL')=='max':
            return s.out((h+(m[:,None,:]-1)*1e4).max(2).values)
        if s.att is not None:
            a=s.att(h.transpose(1,2)).squeeze(2)+(m-1)*1e4; a=torch.softmax(a,1)
            return s.out((h*a[:,None,:]).sum(2))
        pooled=(h*m[:,None,:]).sum(2)/m.sum(1)[:,None]; s.pooled=pooled
        return s.out(pooled)
    def aux_loss(s,targets):
        if AUX=='ctc':
            B,d,T=s.h.shape; lp=s.aux(s.h.transpose(1,2)).reshape(B,UPS*T,-1).log_softmax(2).transpose(0,1).contiguous()
            il=(UPS*s.m.sum(1)).long()
            need=torch.tensor([len(t)+sum(1 for a,b in zip(t,t[1:]) if a==b) for t in targets])
            ok=(il>=need).nonzero().flatten().tolist()
            if not ok: return lp.sum()*0
            s.infeasible=getattr(s,'infeasible',0)+B-len(ok)
            tl=torch.tensor([len(targets[j]) for j in ok]); tg=torch.tensor([c for j in ok for c in targets[j]])
            if os.environ.get('OWNCTC'): return own_ctc(lp[:,ok],[targets[j] for j in ok],il[ok])
            return nn.functional.ctc_loss(lp[:,ok],tg,il[ok],tl)
        if AUX=='bagce':
            # the bag of characters itself as the target: cross-entropy of the question's character
            # distribution against the predicted bag (no alignment, no CTC)
            y=torch.zeros(len(targets),len(chars))
            for j,t in enumerate(targets):
                for c in t: y[j,c-1]+=1
            y=y/y.sum(1,keepdim=True)
            return -(y*torch.log(s.bag+1e-6)).sum(1).mean()
        if AUX=='bow':
            y=torch.zeros(len(targets),len(vocab))
            for j,t in enumerate(targets): y[j,t]=1
            return nn.functional.binary_cross_entropy_with_logits(s.aux(s.pooled),y)
        return 0
def own_ctc(lp,targets,il):
    # lp [T,B,V] log-probs; CTC forward algorithm by autograd (the Debian torch's ctc_loss backward
    # gave non-finite gradient norms here). Mean over the batch of loss / target length, as torch's.
    T,B,V=lp.shape; L=max(len(t) for t in targets); S=2*L+1; NEG=-1e30
    ext=torch.zeros(B,S,dtype=torch.long); allow=torch.zeros(B,S,dtype=torch.bool); valid=torch.zeros(B,S,dtype=torch.bool)
    for b,t in enumerate(targets):
        for j,c in enumerate(t):
            ext[b,2*j+1]=c
            if j>0 and t[j-1]!=c: allow[b,2*j+1]=True
        valid[b,:2*len(t)+1]=True
    emit=lp.gather(2,ext[None].expand(T,B,S))  # [T,B,S]
    alpha=torch.full((B,S),NEG); alpha[:,0]=emit[0,:,0]; alpha[:,1]=emit[0,:,1]
    finals=[]
    for t in range(1,T):
        a1=torch.cat([torch.full((B,1),NEG),alpha[:,:-1]],1)
        a2=torch.cat([torch.full((B,2),NEG),alpha[:,:-2]],1); a2=torch.where(allow,a2,torch.full_like(a2,NEG))
        new=torch.logsumexp(torch.stack([alpha,a1,a2]),0)+emit[t]
        new=torch.where(valid,new,torch.full_like(new,NEG))
        live=(t<il)[:,None]
        alpha=torch.where(live,new,alpha)
    ends=torch.tensor([2*len(t) for t in targets])
    ll=torch.logsumexp(torch.stack([alpha.gather(1,ends[:,None])[:,0],alpha.gather(1,(ends-1)[:,None])[:,0]]),0)
    return (-ll/torch.tensor([len(t) for t in targets],dtype=torch.float)).mean()
def resample(x,f):
    T=len(x); n=max(2,int(round(T*f))); idx=np.minimum((np.arange(n)/f).astype(int),T-1); return x[idx]
def batch(lst,aug):
    xs=[]; 
    for x,y,_ in lst:
        if aug and tempo>1: x=resample(x,np.exp(rng.uniform(-np.log(tempo),np.log(tempo))))
        xs.append(x)
    T=max(len(x) for x in xs); T=(T+3)//4*4
    if rep=='codes': X=np.zeros((len(xs),T,Q),np.int64)
    else: X=np.zeros((len(xs),T,xs[0].shape[1]),np.float32)
    Mk=np.zeros((len(xs),T),np.float32)
    for j,x in enumerate(xs): X[j,:len(x)]=x; Mk[j,:len(x)]=1
    return torch.tensor(X).to(torch.get_default_dtype()) if rep!='codes' else torch.tensor(X),torch.tensor(Mk).to(torch.get_default_dtype()),torch.tensor([y for _,y,_ in lst]),[a for _,_,a in lst]
if os.environ.get('F64'): torch.set_default_dtype(torch.float64)
torch.autograd.set_detect_anomaly(bool(os.environ.get('ANOMALY')))
m=M(); LR=float(os.environ.get('LR','1e-3')); opt=torch.optim.Adam(m.parameters(),LR)
total=EPOCHS*((len(data['train'])+15)//16); step=0
def lr_at(s):
    if os.environ.get('SCHED')!='wd': return LR
    return LR*min((s+1)/50, max(0,(total-s)/(total-50)))
tr=data['train']
for ep in range(EPOCHS):
    m.train(); perm=rng.permutation(len(tr))
    for k in range(0,len(tr),16):
        X,Mk,Y,A=batch([tr[j] for j in perm[k:k+16]],True)
        loss=nn.functional.cross_entropy(m(X,Mk),Y)+(AUXW*m.aux_loss(A) if AUX else 0); opt.zero_grad(); loss.backward()
        for g in opt.param_groups: g['lr']=lr_at(step)
        if os.environ.get('CLIP'): gn=torch.nn.utils.clip_grad_norm_(m.parameters(),float(os.environ['CLIP']))
        if os.environ.get('VERBOSE') and (step%20==0 or not torch.isfinite(gn)): print('gn',step,float(gn),sorted([(float(p.grad.double().norm()),n) for n,p in m.named_parameters() if p.grad is not None])[-3:])
        opt.step(); step+=1
    if os.environ.get('VERBOSE'): print(ep, float(loss), float(m.aux_loss(A)) if AUX else 0, sum(float(p.isnan().sum()) for p in m.parameters()), flush=True)
m.eval(); res={}
with torch.no_grad():
    for s in ['train','val','test-voice','test-paraphrase','test-slot']:
        X,Mk,Y,A=batch(data[s],False); res[s]=(m(X,Mk).argmax(1)==Y).float().mean().item()
        if AUX=='ctc' and s!='train' and os.environ.get('CER','1')=='1':
            B,d,T=m.h.shape; best=m.aux(m.h.transpose(1,2)).reshape(B,UPS*T,-1).argmax(2); il=(UPS*m.m.sum(1)).long()
            errs=0; tot=0
            for j in range(B):
                seq=[int(c) for k,c in enumerate(best[j,:il[j]]) if c!=0 and (k==0 or c!=best[j,k-1])]
                ref=[c for c in ' '.join(words(items_text[s][j])) if c in cix]; ref=[cix[c] for c in ref]
                dp=list(range(len(seq)+1))
                for a in ref:
                    prev=dp[:]; dp[0]=prev[0]+1
                    for k,b in enumerate(seq): dp[k+1]=min(prev[k+1]+1,dp[k]+1,prev[k]+(a!=b))
                errs+=dp[-1]; tot+=len(ref)
            res[s+'-cer']=errs/tot
if AUX=='ctc' and os.environ.get('NGRAM'):
    # Intent from the recognised characters' n-grams (E35): greedy CTC transcripts of every
    # question, a logistic regression over their TF-IDF character n-grams fitted on the training
    # questions' recognised transcripts ("heard") or on their exact ones ("text"), scored per split.
    NG=[int(n) for n in os.environ['NGRAM'].split(',')]
    def greedy(lst):
        out=[]
        with torch.no_grad():
            for k in range(0,len(lst),64):
                X,Mk,_,_=batch(lst[k:k+64],False); m(X,Mk)
                B,d,T=m.h.shape; best=m.aux(m.h.transpose(1,2)).reshape(B,UPS*T,-1).argmax(2); il=(UPS*m.m.sum(1)).long()
                for j in range(B):
                    out.append(''.join(chars[int(c)-1] for q,c in enumerate(best[j,:il[j]]) if c!=0 and (q==0 or c!=best[j,q-1])))
        return out
    def grams(t):
        t=' '+t.strip()+' '; return collections.Counter(t[i:i+n] for n in NG for i in range(len(t)-n+1))
    heard={s:greedy(data[s]) for s in data}
    exact={s:[' '.join(words(t)) for t in items_text[s]] for s in data}
    for fit in ['heard','text']:
        src=heard['train'] if fit=='heard' else exact['train']; ytr=[y for _,y,_ in data['train']]
        vocabg=sorted(set(g for t in src for g in grams(t))); at={g:j for j,g in enumerate(vocabg)}
        df=collections.Counter(g for t in src for g in set(grams(t)))
        idf=np.array([np.log((1+len(src))/(1+df[g]))+1 for g in vocabg])
        def vec(t):
            v=np.zeros(len(vocabg))
            for g,c in grams(t).items():
                if g in at: v[at[g]]=c*idf[at[g]]
            n=np.linalg.norm(v); return v/n if n>0 else v
        x=torch.tensor(np.stack([vec(t) for t in src]),dtype=torch.float64); y=torch.tensor(ytr)
        torch.manual_seed(0); w=torch.zeros(len(vocabg),len(intents),dtype=torch.float64,requires_grad=True); b=torch.zeros(len(intents),dtype=torch.float64,requires_grad=True)
        o2=torch.optim.Adam([w,b],0.05)
        for _ in range(400):
            l=nn.functional.cross_entropy(x@w+b,y)+float(os.environ.get('NGRAML2','1e-3'))*(w*w).sum(); o2.zero_grad(); l.backward(); o2.step()
        for s in ['val','test-voice','test-paraphrase','test-slot']:
            xt=torch.tensor(np.stack([vec(t) for t in heard[s]]),dtype=torch.float64); yt=torch.tensor([y for _,y,_ in data[s]])
            res[f'{s}-ngram-{fit}']=float(((xt@w+b).argmax(1)==yt).double().mean())
print(rep,tempo,seed,AUX,AUXW,UPS,'infeasible',getattr(m,'infeasible',0),os.environ.get('POOL','mean'),' '.join(f"{k}={v:.3f}" for k,v in res.items()),flush=True)
